"""Which language a document is in, offline (py3langid: a small n-gram model shipped inside the
package, 97 languages, BSD), and whether the pipeline can analyse it.

Only English is analysed (``data/lang/en/``). A text the detector places in another language
with confidence (``data/lang/detect.yaml``: its length and probability thresholds) becomes a
Problem before spaCy sees it. Short texts and unsure calls are analysed as English: a headline
of names ("Rubio met Lavrov.") says too little to refuse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from communique.lang import LANG_DIR
from communique.yamlfiles import load_yaml


@dataclass(frozen=True)
class DetectSettings:
    supported: tuple[str, ...]
    min_chars: int
    min_probability: float
    undetermined: tuple[str, ...]

    @classmethod
    @cache
    def load(cls) -> DetectSettings:
        data = load_yaml((LANG_DIR / "detect.yaml").read_text(encoding="utf-8"))
        return cls(
            tuple(data["supported"]),
            int(data["min_chars"]),
            float(data["min_probability"]),
            tuple(data["undetermined"]),
        )


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` (ISO 639-1) and its probability."""
    lang, prob = _identifier().classify(text)
    return str(lang), float(prob)


def unsupported(text: str, settings: DetectSettings | None = None) -> str | None:
    """Why ``text`` is not analysed (a language the pipeline lacks), or None."""
    settings = settings or DetectSettings.load()
    if len(text.strip()) < settings.min_chars:
        return None
    lang, prob = detect(text[:5000])
    if lang in settings.supported or lang in settings.undetermined or prob < settings.min_probability:
        return None
    return (
        f"language {lang} not supported (detected with probability {prob:.2f}); communique analyses "
        f"{', '.join(settings.supported)} only, so the document was skipped"
    )
