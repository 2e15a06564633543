"""Build a tiny random-weight Arabic seq2seq model (MBart architecture, like AraBART) for offline tests.

The tokenizer is a BPE trained with the `tokenizers` library on the few KB of Arabic below, written for
this project. The weights are random, so the model writes junk; it exercises loading, chunking,
batching, quantization, the cache and the fact guard without any download.

    python scripts/make_tiny_model.py models/tiny-test
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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


def build_tokenizer(vocab_size: int = 1000, model_max_length: int = 256):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace()
    tokenizer.decoder = decoders.Metaspace()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS, initial_alphabet=ALPHABET, min_frequency=1
    )
    tokenizer.train_from_iterator(CORPUS.splitlines() * 3, trainer=trainer)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="where to write the model (e.g. models/tiny-test)")
    parser.add_argument("--d-model", type=int, default=32)
    parser.add_argument("--layers", type=int, default=2)
    args = parser.parse_args(argv)
    folder = build_tiny_model(args.folder, d_model=args.d_model, layers=args.layers)
    print(f"tiny model written to {folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
