"""Put a hub summarization model into models/<name> (for Docker builds and machines with network).

    python scripts/download_model.py                       # the default model -> models/arabart-summ
    python scripts/download_model.py owner/name [--dest models/name] [--ct2]

Only what inference needs is fetched: config, tokenizer files and one copy of the weights (safetensors
when the repository has them, else pytorch_model.bin); training state is skipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.model.loader import DEFAULT_HUB_ID  # noqa: E402

DEFAULT_DEST = ROOT / "models" / "arabart-summ"  # Settings.model's default
SKIP = {"training_args.bin", "scheduler.pt", "optimizer.pt", "rng_state.pth"}


def inference_files(files: list[str]) -> list[str]:
    """The repository files a seq2seq model needs for inference."""
    wanted = [f for f in files if "/" not in f and f not in SKIP]
    has_safetensors = any(f.endswith(".safetensors") for f in wanted)
    weights = (".safetensors",) if has_safetensors else (".bin",)
    return [name for name in wanted if name.endswith((".json", ".model", ".txt", ".spm", *weights))]


def download(hub_id: str, dest: Path, revision: str | None = None) -> Path:
    from huggingface_hub import HfApi, snapshot_download

    files = inference_files(HfApi().list_repo_files(hub_id, revision=revision))
    snapshot_download(hub_id, revision=revision, local_dir=dest, allow_patterns=files)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Download a hub summarization model into models/.")
    parser.add_argument("hub_id", nargs="?", default=DEFAULT_HUB_ID)
    parser.add_argument("--dest", type=Path, help="folder (default: models/arabart-summ for the default "
                        "model, else models/<name>)")
    parser.add_argument("--revision", help="a commit, branch or tag of the hub repository")
    parser.add_argument("--ct2", action="store_true", help="also convert to CTranslate2 int8 into <dest>/ct2 "
                        "(the faster backend; needs the ctranslate2 package)")
    args = parser.parse_args(argv)
    dest = args.dest or (DEFAULT_DEST if args.hub_id == DEFAULT_HUB_ID else ROOT / "models" /
                         args.hub_id.split("/")[-1])
    try:
        download(args.hub_id, dest, args.revision)
        if args.ct2:
            from app.model.ct2 import convert_to_ct2

            convert_to_ct2(dest)
    except Exception as error:  # network or hub problems: one readable line, no stack trace
        print(f"download_model: could not fetch {args.hub_id}: {type(error).__name__}: {error}",
              file=sys.stderr)
        return 1
    print(f"{args.hub_id} -> {dest}  (set MOJAZ_MODEL={dest} if it is not the default)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
