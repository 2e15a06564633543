"""Build a tiny Arabic seq2seq model (MBart architecture, like AraBART) for offline tests.

Two kinds, both with a BPE tokenizer trained with the `tokenizers` library on Arabic text written for
this project (never ../shared/data):

  random     random weights: the model writes junk. It exercises loading, numerics, batching and the
             fact guard's rejections.
  --trained  trained for about a minute (55 s measured, one thread) on our own article sets (examples/ and the
             test fixtures), to write each article's lead clause: the first sentence, cut at the first
             comma after its seventh word. So it writes a real short summary that the fact guard keeps,
             its output depends on its input, and it ends each summary early with end-of-sequence. It
             has learned these articles, not Arabic: on unseen text it writes fluent-looking junk that
             the guard rejects.

    python scripts/make_tiny_model.py models/tiny-test
    python scripts/make_tiny_model.py models/tiny-trained --trained
    python -m app brief examples/summit --model models/tiny-trained
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Short news-style paragraphs, written for Mojaz; they only need to cover Arabic letters, digits,
# punctuation and common news words so the tokenizer is not all <unk>.
CORPUS = """\
أعلنت وزارة الصحة اليوم الأحد عن افتتاح مستشفى جديد في مدينة الرياض بسعة 300 سرير.
وقال وزير الصحة في مؤتمر صحفي إن المستشفى سيخدم أكثر من مليون نسمة في الأحياء الشمالية.
وأضاف أن العمل في المشروع استغرق ثلاث سنوات بتكلفة بلغت 450 مليون ريال.
وصل رئيس الوزراء العراقي إلى العاصمة الفرنسية باريس في زيارة رسمية تستمر يومين.
وبحث الرئيس الفرنسي مع ضيفه العلاقات الثنائية وسبل تعزيز التعاون في مجالات الطاقة والنقل.
ووقع الجانبان خمس مذكرات تفاهم تشمل التعليم العالي والثقافة والاستثمار.
ذكرت وكالة الأنباء الرسمية أن الأمطار الغزيرة تسببت في إغلاق عدد من الطرق في جدة.
ودعا الدفاع المدني السكان إلى البقاء في منازلهم وتجنب الأودية حتى انتهاء موجة الطقس.
وأكد المتحدث باسم الأرصاد أن الأمطار ستستمر حتى مساء الثلاثاء مع رياح نشطة.
فاز المنتخب الوطني على نظيره بهدفين مقابل هدف واحد في المباراة التي أقيمت مساء الخميس.
وسجل المهاجم الهدف الثاني في الدقيقة 78 بعد تمريرة من خط الوسط.
وبهذا الفوز يتصدر المنتخب مجموعته برصيد تسع نقاط قبل الجولة الأخيرة.
ارتفع مؤشر السوق المالية بنسبة 1.5% في ختام تعاملات الأسبوع بدعم من أسهم المصارف.
وبلغت قيمة التداولات نحو ستة مليارات ريال، بحسب بيانات السوق.
وقال محللون إن نتائج الشركات في الربع الثالث جاءت أفضل من التوقعات.
افتتحت الجامعة معرضا للكتاب بمشاركة 120 دار نشر من الدول العربية والأجنبية.
ويضم المعرض ندوات وأمسيات شعرية وورشا للأطفال على مدى عشرة أيام.
وقالت إدارة المعرض إن عدد الزوار في اليوم الأول تجاوز عشرين ألف زائر.
اتفقت الحكومة والنقابات على زيادة الأجور بنسبة 7 في المئة اعتبارا من مطلع العام المقبل.
وجاء الاتفاق بعد مفاوضات استمرت أسابيع وإضراب عن العمل في قطاع النقل.
وأوضح بيان مشترك أن الزيادة تشمل العاملين في القطاع العام والمتقاعدين.
أطلقت الهيئة برنامجا لتدريب الشباب على البرمجة والذكاء الاصطناعي في خمس مدن.
ويستهدف البرنامج تدريب عشرة آلاف متدرب خلال عامين بالشراكة مع شركات التقنية.
وأكدت الهيئة أن التسجيل مجاني ويفتح عبر الموقع الإلكتروني ابتداء من الأسبوع المقبل.
شهدت العاصمة احتجاجات على ارتفاع الأسعار، وطالب المحتجون بخفض أسعار الوقود والخبز.
وانتشرت قوات الأمن في الشوارع الرئيسية، ولم تسجل إصابات بحسب الشرطة.
وقالت الحكومة إنها ستدرس مطالب المحتجين وتعلن حزمة دعم للأسر محدودة الدخل.
التقى وزير الخارجية نظيره المصري في القاهرة لبحث الأوضاع في المنطقة.
وشدد الوزيران على أهمية الحوار وحل الخلافات بالطرق السلمية ودعم الاستقرار.
وأعلن الجانبان عقد اجتماع للجنة المشتركة في شهر مارس المقبل في بغداد.
بلغ عدد الحجاج هذا العام مليونا و800 ألف حاج من أكثر من 150 دولة.
وأشادت الجهات المختصة بنجاح خطط النقل والخدمات الصحية خلال موسم الحج.
سجلت درجات الحرارة ٤٨ درجة مئوية في المنطقة الشرقية يوم الإثنين ٢٠ يوليو.
قالت الشركة إن أرباحها الصافية ارتفعت إلى 2,300 مليون دولار مقارنة بالعام الماضي.
وأشار التقرير إلى أن الصادرات غير النفطية نمت بنسبة 12% خلال النصف الأول من العام.
ونقلت صحيفة محلية عن مصدر مطلع أن المفاوضات ستستأنف بعد عطلة العيد؟
هل تنجح الخطة الجديدة في خفض البطالة؟ يرى خبراء أن النتائج تحتاج إلى وقت!
"""

SPECIAL_TOKENS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]  # ids 0..4, the AraBART order
ALPHABET = list("ءآأؤإئابةتثجحخدذرسشصضطظعغفقكلمنهوىيًٌٍَُِّْـ0123456789٠١٢٣٤٥٦٧٨٩.,،؛:؟?!%()\"'-/")


def build_tokenizer(vocab_size: int = 1000, model_max_length: int = 256, texts: list[str] | None = None,
                    min_frequency: int = 1):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Metaspace()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS, initial_alphabet=ALPHABET,
        min_frequency=min_frequency,
    )
    tokenizer.train_from_iterator(CORPUS.splitlines() * 3 if texts is None else texts, trainer=trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)],
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>", mask_token="<mask>",
        model_max_length=model_max_length,
    )


def build_tiny_model(
    folder: str | Path,
    *,
    d_model: int = 32,
    layers: int = 2,
    vocab_size: int = 1000,
    max_position: int = 256,
    seed: int = 0,
) -> Path:
    """Write a tiny random MBart summarizer and its tokenizer into `folder` (save_pretrained layout)."""
    import torch
    from transformers import MBartConfig, MBartForConditionalGeneration

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tokenizer(vocab_size, max_position)
    config = MBartConfig(
        vocab_size=len(tokenizer),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=d_model * 2,
        decoder_ffn_dim=d_model * 2,
        max_position_embeddings=max_position,
        pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=2,
        # As in AraBART's config.json; CTranslate2's converter reads them (transformers 5 does not).
        normalize_before=True, add_final_layer_norm=True, normalize_embedding=True,
    )
    torch.manual_seed(seed)
    model = MBartForConditionalGeneration(config)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


# -- the trained model -------------------------------------------------------------------------------

# Article sets written for Mojaz (the repository's own text, never ../shared/data).
OWN_ARTICLE_SETS = ("examples/summit", "examples/feed.jsonl", "tests/fixtures/daily/feed.jsonl")
OWN_ARTICLE_LISTS = ("tests/fixtures/service_articles.json",)  # {"articles": [...]}
TRAINED = dict(d_model=64, layers=2, heads=4, vocab_size=2000, max_position=512, steps=400, batch=16, lr=3e-3)


def own_articles() -> list[list[str]]:
    """Sentences of every article we wrote, split and cleaned as the engine does (app.documents.prepare),
    plus the corpus above in threes."""
    sys.path.insert(0, str(ROOT))
    from app.article_files import load_articles
    from app.articles import article_from_mapping
    from app.documents import prepare

    articles = load_articles([ROOT / path for path in OWN_ARTICLE_SETS])
    for path in OWN_ARTICLE_LISTS:
        rows = json.loads((ROOT / path).read_text(encoding="utf-8"))["articles"]
        articles += [article_from_mapping(row) for row in rows]
    found = [[s.text for s in prepare(article, 0).sentences] for article in articles]
    lines = [line for line in CORPUS.splitlines() if line.strip()]
    found += [lines[i : i + 3] for i in range(0, len(lines), 3)]
    return [sentences for sentences in found if sentences]


def lead_summary(sentence: str, min_words: int = 8) -> str:
    """The sentence up to its first comma (or colon, semicolon) after `min_words` words, ended by a full stop."""
    words = sentence.split()
    for i, word in enumerate(words):
        if i >= min_words - 1 and word[-1] in "،؛:":
            return " ".join([*words[:i], word[:-1] + "."])
    return sentence


def training_pairs(articles: list[list[str]], seed: int = 0) -> list[tuple[str, str]]:
    """(input, summary) in the model's own text form (arabert-preprocessed, as app/model prepares it).

    Each article from each of its sentences on (a later chunk of a long article is covered too, and the
    article's start counts twice), and each sentence followed by a few random others: without these the
    model learns each article's continuation and writes one memorized lead whatever it reads."""
    sys.path.insert(0, str(ROOT))
    from app.model.preprocess import ArticlePreprocessor

    prep = ArticlePreprocessor("")
    shuffle = random.Random(seed)
    pool = [(prep.preprocess(s), prep.preprocess(lead_summary(s))) for sentences in articles for s in sentences]
    pairs = []
    for sentences in articles:
        prepared = [prep.preprocess(s) for s in sentences]
        for start in range(len(sentences)):
            pair = (" ".join(prepared[start:]), prep.preprocess(lead_summary(sentences[start])))
            pairs.extend([pair] * (2 if start == 0 else 1))
    for sentence, summary in pool:
        others = [shuffle.choice(pool)[0] for _ in range(shuffle.randint(0, 6))]
        pairs.append((" ".join([sentence, *others]), summary))
    return pairs


def train_tiny_model(folder: str | Path, *, seed: int = 0, threads: int = 1, log=None, **overrides) -> Path:
    """Write a tiny MBart trained to write the lead clause of our own articles (see the module docstring).

    A plain PyTorch loop (AdamW, one-cycle learning rate, no dropout): transformers' Seq2SeqTrainer would
    need accelerate and datasets for ~20 lines. Deterministic for a given seed and thread count."""
    import torch
    from transformers import MBartConfig, MBartForConditionalGeneration

    cfg = {**TRAINED, **overrides}
    started = time.perf_counter()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pairs = training_pairs(own_articles())
    tokenizer = build_tokenizer(cfg["vocab_size"], cfg["max_position"],
                                texts=[text for pair in pairs for text in pair], min_frequency=2)
    config = MBartConfig(
        vocab_size=len(tokenizer), d_model=cfg["d_model"], encoder_layers=cfg["layers"],
        decoder_layers=cfg["layers"], encoder_attention_heads=cfg["heads"], decoder_attention_heads=cfg["heads"],
        encoder_ffn_dim=cfg["d_model"] * 4, decoder_ffn_dim=cfg["d_model"] * 4,
        max_position_embeddings=cfg["max_position"], dropout=0.0, attention_dropout=0.0,
        pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=2,
        normalize_before=True, add_final_layer_norm=True, normalize_embedding=True,
    )
    sources = tokenizer([p[0] for p in pairs], truncation=True, max_length=cfg["max_position"])["input_ids"]
    targets = tokenizer([p[1] for p in pairs], truncation=True, max_length=96)["input_ids"]

    def padded(rows: list[list[int]], fill: int) -> torch.Tensor:
        width = max(map(len, rows))
        return torch.tensor([row + [fill] * (width - len(row)) for row in rows])

    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    order = random.Random(seed)
    model = MBartForConditionalGeneration(config)
    # The summary is a prefix of the input, token for token: decoder position j copies encoder position j.
    # One position table for both sides makes that alignment a bilinear match to learn, not a search.
    decoder_positions = model.model.decoder.embed_positions
    decoder_positions.weight = model.model.encoder.embed_positions.weight
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=cfg["lr"], total_steps=cfg["steps"],
                                                   pct_start=0.1)
    try:
        for step in range(cfg["steps"]):
            batch = [order.randrange(len(pairs)) for _ in range(cfg["batch"])]
            ids = padded([sources[i] for i in batch], 1)
            labels = padded([targets[i] for i in batch], -100)  # the loss skips padding
            loss = model(input_ids=ids, attention_mask=(ids != 1).long(), labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            if log and (step % 50 == 0 or step == cfg["steps"] - 1):
                log(f"step {step}: loss {loss.item():.3f}, {time.perf_counter() - started:.0f} s")
    finally:
        torch.set_num_threads(previous_threads)
    decoder_positions.weight = torch.nn.Parameter(decoder_positions.weight.detach().clone())  # saved untied
    model.eval()
    model.generation_config.max_length = None  # the product passes max_new_tokens
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def trained_model_cached(cache_dir: str | Path | None = None) -> Path:
    """train_tiny_model's folder, trained once per machine under the temp dir and reused while this script,
    the training text and torch are unchanged (a half-written folder is never seen: built aside, renamed)."""
    import torch

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(torch.__version__.encode())
    for path in [*OWN_ARTICLE_SETS, *OWN_ARTICLE_LISTS]:
        for file in sorted((ROOT / path).rglob("*")) if (ROOT / path).is_dir() else [ROOT / path]:
            digest.update(file.read_bytes())
    base = Path(cache_dir or Path(tempfile.gettempdir()) / "mojaz-tiny-models")
    target = base / f"trained-{digest.hexdigest()[:16]}"
    if (target / "model.safetensors").is_file():
        return target
    base.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=base))
    try:
        train_tiny_model(building)
        try:
            os.rename(building, target)
        except OSError:  # another process finished first: use theirs
            if not (target / "model.safetensors").is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="where to write the model (e.g. models/tiny-test)")
    parser.add_argument("--trained", action="store_true",
                        help="train it (about a minute on 2 cores) to write the lead clause of our own articles")
    parser.add_argument("--d-model", type=int, default=None)
    parser.add_argument("--layers", type=int, default=None)
    args = parser.parse_args(argv)
    if args.trained:
        sizes = {k: v for k, v in (("d_model", args.d_model), ("layers", args.layers)) if v is not None}
        folder = train_tiny_model(args.folder, log=lambda line: print(line, file=sys.stderr), **sizes)
        print(f"trained tiny model written to {folder}", file=sys.stderr)
        return 0
    folder = build_tiny_model(args.folder, d_model=args.d_model or 32, layers=args.layers or 2)
    print(f"tiny model written to {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
