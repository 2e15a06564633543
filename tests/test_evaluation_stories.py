"""Story purity scoring against hand labels (ids only), and the `evaluate.py stories` command's errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.articles import Article
from app.daily.stories import Grouping, Story
from app.errors import InputError
from evaluation.stories import format_scores, load_labels, score_day
from scripts import evaluate as evaluate_cli

DAY = date(2024, 7, 30)


def article(id_: str, source: str) -> Article:
    return Article(id=id_, source=source, title=f"عنوان {id_}", text="نص", published_at=datetime(2024, 7, 30, tzinfo=UTC))


def write_labels(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_score_counts_mixed_stories_kept_pairs_and_unlabelled_pairs(tmp_path: Path) -> None:
    labels = load_labels(write_labels(tmp_path / "l.jsonl", [
        {"day": "2024-07-30", "groups": [["a", "b", "c"], ["d"]], "note": "d is another event"},
        {"day": "2024-07-30", "groups": [["e", "f"]]},
    ]))
    a, b, c, d, e, f, g = (article(i, s) for i, s in zip("abcdefg", "xyzxyzx", strict=True))
    grouping = Grouping(
        stories=[
            Story([a, b, d], sources=["x", "y"]),  # mixes d in: mixed
            Story([e, g], sources=["y", "x"]),  # g is unlabelled: one unlabelled pair, f left out
        ],
        singles=[c, f],
    )

    score = score_day(DAY, grouping, labels)

    assert (score.stories, score.multi_outlet, score.mixed) == (2, 2, 1)
    assert (score.same_kept, score.same_total) == (1, 4)  # a-b kept; a-c, b-c, e-f parted
    assert score.unlabelled_pairs == 1
    assert score.mixed_titles == [["عنوان a", "عنوان b", "عنوان d"]]
    assert len(labels.same_event_pairs()) == 4
    assert format_scores([score]).splitlines()[-1] == "| all 1 days | 2 | 2 | 1 | 1/4 | 1 |"


def test_overlapping_labelled_stories_label_each_pair_once(tmp_path: Path) -> None:
    labels = load_labels(write_labels(tmp_path / "l.jsonl", [
        {"day": "2024-07-30", "groups": [["a", "b"], ["c"]]},
        {"day": "2024-07-30", "groups": [["c", "d"]]},  # a later, looser grouping: d joins c
        {"day": "2024-07-30", "groups": [["a"], ["b"]]},  # a second opinion that disagrees on a-b
    ]))

    assert labels.same[frozenset("ab")] is True and labels.same[frozenset("cd")] is True
    assert labels.same[frozenset("ac")] is False
    assert frozenset("ad") not in labels.same
    assert labels.disagreements == 1


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("{not json\n", "l.jsonl:1: not a label row (not valid JSON"), ('{"day": "2024-13-40", "groups": []}\n', "l.jsonl:1")],
)
def test_bad_label_rows_name_the_line(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "l.jsonl"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(InputError) as info:
        load_labels(path)

    assert fragment in str(info.value) and info.value.field == "--labels"


def test_stories_command_missing_labels_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = evaluate_cli.main(["stories", "--labels", str(tmp_path / "nope.jsonl")])

    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.splitlines() == [err] and err.startswith("error: --labels: cannot read labels")


def test_shipped_labels_are_ids_only(tmp_path: Path) -> None:
    path = Path(__file__).resolve().parents[1] / "docs" / "eval" / "saudinewsnet-story-labels.jsonl"
    labels = load_labels(path)

    assert len(labels.stories) >= 442 and len(labels.days) == 18
    assert sum(len(s.groups) > 1 for s in labels.stories) >= 70
    text = path.read_text(encoding="utf-8")
    assert not any("\u0600" <= ch <= "\u06ff" for ch in text)  # no article text, not even a headline
