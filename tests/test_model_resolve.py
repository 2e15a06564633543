"""Where a model spec (folder or hub id) is looked for before the hub is tried."""

from app.model.loader import DEFAULT_HUB_ID, resolve_model


def test_default_hub_id_finds_the_folder_download_model_fills(tmp_path):
    (tmp_path / "arabart-summ").mkdir()
    assert resolve_model(DEFAULT_HUB_ID, tmp_path) == ((tmp_path / "arabart-summ").resolve(), None)


def test_other_hub_id_finds_models_name_then_falls_back_to_the_hub(tmp_path):
    assert resolve_model("someone/other-model", tmp_path) == (None, "someone/other-model")
    (tmp_path / "other-model").mkdir()
    assert resolve_model("someone/other-model", tmp_path) == ((tmp_path / "other-model").resolve(), None)


def test_a_missing_local_folder_is_neither_folder_nor_hub_id(tmp_path):
    assert resolve_model("models/not-there", tmp_path) == (None, None)
