"""The fuzz suite of issue 19: odd inputs as a user's messy corpora hold them, each between good documents.

Every input is a small folder: good documents before and after one bad one, in the same file for the
line-based formats (JSONL, CSV) and the same batch (folder) for the others. Reading it must give every
good document (none lost), a ``Problem`` with a location for what is bad, and never an exception. The
families whose damage reaches the text (emoji floods, giant unpunctuated text, zero-width and RTL
characters, other scripts ...) are also analysed by the pipeline for a sample of inputs.

    python tests/fuzz.py                      # the full run: 21 families x 500 inputs (make fuzz)
    python tests/fuzz.py --per-family 3 --analyse 0   # a quick look

For each family it reports inputs, tracebacks (exceptions out of the reader or the pipeline), good
documents lost, problems without a location, seconds and peak memory (each family runs in a process of
its own, so that its peak is its own). ``tests/test_fuzz.py`` runs a small sample in ``make test``.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import gzip
import io
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

GOOD_TEXT = (
    "GENEVA, March 2 (Example Wire) - U.S. Secretary of State Marco Rubio met Iranian Foreign Minister "
    "Abbas Araghchi in Geneva on Monday. Iran accused Israel of attacking its nuclear sites."
)


@dataclass
class Case:
    """One fuzz input: files to write (relative name -> bytes) and the ids of the good documents in them."""

    files: dict[str, bytes]
    good: set[str]


def good_record(rng: random.Random, tag: str) -> tuple[str, dict[str, str]]:
    ident = f"good-{tag}-{rng.randrange(10**9)}"
    return ident, {"id": ident, "title": "Rubio meets Araghchi", "date": "2026-03-02", "text": GOOD_TEXT}


def jsonl_between(rng: random.Random, bad: bytes, n: int = 2) -> Case:
    """``n`` good JSONL lines, the bad line, ``n`` good lines, in one file."""
    good, lines = set(), []
    for i in range(2 * n):
        if i == n:
            lines.append(bad)
        ident, record = good_record(rng, str(i))
        good.add(ident)
        lines.append(json.dumps(record).encode())
    return Case({"batch.jsonl": b"\n".join(lines) + b"\n"}, good)


def files_between(rng: random.Random, name: str, bad: bytes) -> Case:
    """A good text file and a good JSONL file around one bad file in the same folder (the batch)."""
    ident_a, _record_a = good_record(rng, "a")
    ident_c, record_c = good_record(rng, "c")
    front = f"---\nid: {ident_a}\ntitle: Good\n---\n{GOOD_TEXT}\n".encode()
    return Case(
        {"a.txt": front, name: bad, "c.jsonl": json.dumps(record_c).encode() + b"\n"},
        {ident_a, ident_c},
    )


def csv_between(rng: random.Random, bad_row: bytes) -> Case:
    good, out = set(), io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "title", "date", "text"])
    head = out.getvalue().encode()
    rows: list[bytes] = []
    for i in range(4):
        if i == 2:
            rows.append(bad_row)
        ident, record = good_record(rng, str(i))
        good.add(ident)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(
            [record["id"], record["title"], record["date"], record["text"]]
        )
        rows.append(buf.getvalue().encode())
    return Case({"batch.csv": head + b"".join(rows)}, good)


def random_text(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# -- the families ------------------------------------------------------------------------------------------
def fam_random_bytes(rng: random.Random) -> Case:
    blob = rng.randbytes(rng.randrange(1, 4000))
    kind = rng.choice(["x.txt", "x.html", "x.json", "x.bin.txt"])
    return files_between(rng, kind, blob)


def fam_binary_blob_in_jsonl(rng: random.Random) -> Case:
    blob = rng.randbytes(rng.randrange(1, 2000)).replace(b"\n", b" ")
    return jsonl_between(rng, blob)


def fam_invalid_utf8(rng: random.Random) -> Case:
    text = GOOD_TEXT.encode()
    cut = rng.randrange(len(text))
    bad = text[:cut] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]) + text[cut:]
    if rng.random() < 0.5:
        return jsonl_between(rng, b'{"id": "bad", "text": "' + bad + b'"}')
    return files_between(rng, "bad.txt", bad)


def fam_truncated_utf8(rng: random.Random) -> Case:
    text = ("Le président a déclaré « non » – 北京 " * rng.randrange(1, 20)).encode()
    cut = text[: rng.randrange(1, len(text))]
    if rng.random() < 0.5:
        return files_between(rng, "cut.txt", cut)
    return jsonl_between(rng, b'{"id": "cut", "text": "' + cut)


def fam_utf16_bom(rng: random.Random) -> Case:
    ident, record = good_record(rng, "u16")
    codec = rng.choice(["utf-16", "utf-16-le", "utf-16-be"])
    if rng.random() < 0.5:
        data = (json.dumps(record) + "\n").encode("utf-16")  # with BOM
        case = files_between(rng, "u16.jsonl", data)
        case.good.add(ident)  # UTF-16 is recognised: the record is a good document
    else:
        data = (
            codecs.BOM_UTF16_LE
            if codec == "utf-16-le"
            else codecs.BOM_UTF16_BE
            if codec == "utf-16-be"
            else b""
        )
        data += GOOD_TEXT.encode(codec if codec != "utf-16" else "utf-16")
        case = files_between(rng, "u16.txt", data)
    return case


def fam_utf16_no_bom(rng: random.Random) -> Case:
    ident, record = good_record(rng, "u16n")
    codec = rng.choice(["utf-16-le", "utf-16-be"])
    if rng.random() < 0.5:
        case = files_between(rng, "u16.jsonl", (json.dumps(record) + "\n").encode(codec))
        case.good.add(ident)  # recognised without a byte order mark too
        return case
    return files_between(rng, "u16.txt", GOOD_TEXT.encode(codec))


def fam_latin1(rng: random.Random) -> Case:
    text = "Le président français a rencontré le ministre à Genève. Ça va très bien, señor."
    data = text.encode("latin-1")
    if rng.random() < 0.5:
        return jsonl_between(rng, b'{"id": "latin", "text": "' + data + b'"}')
    return files_between(rng, "latin.txt", data)


def fam_nul_bytes(rng: random.Random) -> Case:
    text = GOOD_TEXT.encode()
    cut = rng.randrange(len(text))
    return jsonl_between(
        rng, b'{"id": "nul", "text": "' + text[:cut] + b"\x00" * rng.randrange(1, 5) + text[cut:] + b'"}'
    )


def fam_lone_surrogates(rng: random.Random) -> Case:
    where = rng.choice(["text", "id", "title"])
    record = {"id": "sur", "title": "t", "text": GOOD_TEXT}
    line = json.dumps(record).replace(
        f'"{record[where]}"', f'"{record[where][:5]}\\ud800{record[where][5:]}"', 1
    )
    return jsonl_between(rng, line.encode())


def fam_deep_json(rng: random.Random) -> Case:
    depth = rng.choice([100, 1000, 10_000, 100_000])
    nested = "[" * depth + "]" * depth
    line = '{"id": "deep", "text": "x", "meta": ' + nested + "}"
    if rng.random() < 0.5:
        return jsonl_between(rng, line.encode())
    return files_between(rng, "deep.json", line.encode())


def fam_wrong_json_types(rng: random.Random) -> Case:
    value = rng.choice(
        [
            '{"id": 1, "text": 2}',
            '{"text": null}',
            '{"text": ["a", "b"]}',
            "[1, 2]",
            '"text"',
            "42",
            '{"text": {"nested": "x"}}',
            '{"id": [], "text": "ok text"}',
            '{"date": 5, "text": "Rubio met."}',
            "null",
            "true",
            "{}",
            '{"text": ""}',
        ]
    )
    return jsonl_between(rng, value.encode())


def fam_huge_integers(rng: random.Random) -> Case:
    digits = "9" * rng.choice([4301, 10_000, 100_000])
    field_name = rng.choice(["id", "text", "extra", "date"])
    return jsonl_between(
        rng, f'{{"id": "big", "text": "Rubio met Lavrov.", "{field_name}": {digits}}}'.encode()
    )


def fam_csv_broken_quoting(rng: random.Random) -> Case:
    row = rng.choice(
        [
            b'bad-1,"unclosed title,2026-03-02,Rubio met Lavrov.\n',
            b'bad-2,title,2026-03-02,"text with "inner" quotes\n',
            b'"bad-3"x,title,2026-03-02,text\n',
            b'bad-4,"a""b,2026-03-02,"c\n',
            b"bad-5,\x00title,2026-03-02,text\n",
        ]
    )
    return csv_between(rng, row)


def fam_csv_huge_field(rng: random.Random) -> Case:
    size = rng.choice([200_000, 2_000_000, 25_000_000])
    return csv_between(rng, b"huge," + b"t" * 10 + b",2026-03-02," + b"w " * (size // 2) + b"\n")


def fam_truncated_gzip(rng: random.Random) -> Case:
    good, good_lines, bad_lines = set(), [], []
    for i in range(3):
        ident, record = good_record(rng, f"gz{i}")
        good.add(ident)
        good_lines.append(json.dumps(record))
    for i in range(3):
        _, record = good_record(rng, f"gzcut{i}")
        bad_lines.append(json.dumps(record))
    first = gzip.compress(("\n".join(good_lines) + "\n").encode())
    second = gzip.compress(("\n".join(bad_lines) + "\n").encode())
    data = first + second[: rng.randrange(1, len(second) - 1)]
    case = files_between(rng, "b.jsonl.gz", data)
    case.good |= good  # the complete first member's records must be read
    return case


def fam_html_bomb(rng: random.Random) -> Case:
    depth = rng.choice([1000, 10_000, 100_000])
    tag = rng.choice(["div", "b", "span", "table><tr><td"])
    close = tag.split(">")[0]
    page = (
        "<html><head><title>Bomb</title></head><body>"
        + f"<{tag}>" * depth
        + "Rubio met Lavrov."
        + f"</{close}>" * depth
    )
    if rng.random() < 0.3:
        page += "<p>" + "&amp;" * 200_000 + "</p>"
    return files_between(rng, "bomb.html", (page + "</body></html>").encode())


def fam_zero_width_rtl(rng: random.Random) -> Case:
    marks = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
    text = "".join(ch + (rng.choice(marks) if rng.random() < 0.5 else "") for ch in GOOD_TEXT)
    return jsonl_between(rng, json.dumps({"id": f"zw-{rng.randrange(10**6)}", "text": text}).encode())


def fam_emoji_flood(rng: random.Random) -> Case:
    emoji = "😀🔥🇺🇸👍🏽❤️💥🚀👨‍👩‍👧‍👦"
    text = random_text(rng, emoji + " ", rng.choice([100, 1000, 4000]))
    return jsonl_between(rng, json.dumps({"id": f"emoji-{rng.randrange(10**6)}", "text": text}).encode())


def fam_giant_unpunctuated(rng: random.Random) -> Case:
    words = ["the", "minister", "said", "Iran", "talks", "Geneva", "and", "police", "protest", "army"]
    text = " ".join(rng.choice(words) for _ in range(rng.choice([500, 2000, 8000])))
    return jsonl_between(rng, json.dumps({"id": f"giant-{rng.randrange(10**6)}", "text": text}).encode())


def fam_other_scripts(rng: random.Random) -> Case:
    alphabets = [
        "абвгдежзийклмнопрстуфхцчшщ ",
        "北京上海广州深圳外交部长会见 ",
        "مرحبا بالعالم وزير الخارجية ",
        "नमस्ते दुनिया विदेश मंत्री ",
        "γειάσουκόσμε ",
        "שלוםעולם ",
    ]
    text = random_text(rng, rng.choice(alphabets), rng.randrange(10, 3000))
    if rng.random() < 0.5:
        return files_between(rng, "script.txt", text.encode())
    return jsonl_between(
        rng, json.dumps({"id": f"script-{rng.randrange(10**6)}", "text": text}, ensure_ascii=False).encode()
    )


def fam_bad_ids(rng: random.Random) -> Case:
    ident = rng.choice(
        ["", " ", "\n\t", "a\x00b", "x" * 5000, "<script>", "../../etc/passwd", "\u202eevil", "ok\r\nid"]
    )
    return jsonl_between(rng, json.dumps({"id": ident, "text": GOOD_TEXT}).encode())


def fam_control_chars(rng: random.Random) -> Case:
    chars = "".join(chr(c) for c in [*range(1, 9), 11, 12, *range(14, 32), 127])
    text = "".join(ch if rng.random() < 0.8 else rng.choice(chars) for ch in GOOD_TEXT)
    return jsonl_between(rng, json.dumps({"id": f"ctl-{rng.randrange(10**6)}", "text": text}).encode())


FAMILIES: dict[str, Callable[[random.Random], Case]] = {
    name.removeprefix("fam_"): fn for name, fn in sorted(globals().items()) if name.startswith("fam_")
}
#: Families whose damage reaches the text: their documents also go through the pipeline.
ANALYSED = {
    "zero_width_rtl",
    "emoji_flood",
    "giant_unpunctuated",
    "other_scripts",
    "control_chars",
    "latin1",
    "nul_bytes",
    "bad_ids",
    "huge_integers",
    "utf16_bom",
}


# -- running ---------------------------------------------------------------------------------------------
@dataclass
class FamilyReport:
    family: str
    inputs: int = 0
    tracebacks: int = 0
    lost: int = 0
    unlocated: int = 0
    problems: int = 0
    analysed: int = 0
    analyse_problems: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0
    examples: list[str] = field(default_factory=list)


def run_family(family: str, per_family: int, analyse: int, seed: int, pipeline: Any = None) -> FamilyReport:
    """Generate and read ``per_family`` inputs of ``family``; analyse the first ``analyse`` of them (with
    ``pipeline``, else one loaded when first needed)."""
    from communique.io import ReadOptions, read_inputs
    from communique.models import Document, Problem

    rng = random.Random(f"{seed}-{family}")
    report = FamilyReport(family)
    pipe = pipeline
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{family}-") as tmp:
        for n in range(per_family):
            case = FAMILIES[family](rng)
            folder = Path(tmp) / f"{n:05d}"
            folder.mkdir()
            for name, data in case.files.items():
                (folder / name).write_bytes(data)
            report.inputs += 1
            try:
                items = list(read_inputs([str(folder)], ReadOptions()))
            except BaseException as exc:
                report.tracebacks += 1
                if len(report.examples) < 5:
                    report.examples.append(
                        f"read {folder.name}: {''.join(traceback.format_exception_only(exc)).strip()}"
                    )
                shutil.rmtree(folder)
                continue
            docs = [i for i in items if isinstance(i, Document)]
            problems = [i for i in items if isinstance(i, Problem)]
            report.problems += len(problems)
            lost = case.good - {d.id for d in docs}
            report.lost += len(lost)
            if lost and len(report.examples) < 5:
                report.examples.append(
                    f"lost {sorted(lost)} in {folder.name}: {[p.reason for p in problems]}"
                )
            for p in problems:
                if str(folder) not in p.source:
                    report.unlocated += 1
            if n < analyse and family in ANALYSED:
                if pipe is None:
                    from communique.pipeline import Pipeline

                    pipe = Pipeline(include_text=False)
                try:
                    out = list(pipe.process(docs))
                    report.analysed += len(docs)
                    report.analyse_problems += sum(isinstance(o, Problem) for o in out)
                    lost_now = case.good - {o.id for o in out if not isinstance(o, Problem)}
                    report.lost += len(lost_now)
                except BaseException as exc:
                    report.tracebacks += 1
                    if len(report.examples) < 5:
                        report.examples.append(f"analyse {folder.name}: {exc!r}"[:300])
            shutil.rmtree(folder)
    report.seconds = round(time.perf_counter() - started, 2)
    report.peak_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return report


def run_all(per_family: int, analyse: int, seed: int, families: list[str]) -> list[FamilyReport]:
    """Each family in a process of its own (its peak memory is its own; a crash is that family's)."""
    reports = []
    for family in families:
        command = [
            sys.executable,
            __file__,
            "--one",
            family,
            "--per-family",
            str(per_family),
            "--analyse",
            str(analyse),
            "--seed",
            str(seed),
        ]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            report = FamilyReport(
                family, tracebacks=1, examples=[f"process ended {done.returncode}: {done.stderr[-500:]}"]
            )
        else:
            report = FamilyReport(**json.loads(done.stdout.strip().splitlines()[-1]))
        reports.append(report)
        print(format_row(report), flush=True)
    return reports


HEADER = f"{'family':<24}{'inputs':>7}{'tracebk':>8}{'lost':>6}{'noloc':>6}{'problems':>9}{'analysed':>9}{'seconds':>9}{'peak MB':>9}"


def format_row(r: FamilyReport) -> str:
    return (
        f"{r.family:<24}{r.inputs:>7}{r.tracebacks:>8}{r.lost:>6}{r.unlocated:>6}{r.problems:>9}"
        f"{r.analysed:>9}{r.seconds:>9.1f}{r.peak_mb:>9.0f}" + "".join(f"\n    {e}" for e in r.examples)
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-family", type=int, default=500)
    parser.add_argument(
        "--analyse", type=int, default=5, help="inputs per family also run through the pipeline"
    )
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--family", action="append", help="only these families (repeatable)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="write the reports here too")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asdict(run_family(args.one, args.per_family, args.analyse, args.seed))))
        return 0
    families = args.family or list(FAMILIES)
    print(HEADER, flush=True)
    started = time.perf_counter()
    reports = run_all(args.per_family, args.analyse, args.seed, families)
    total = FamilyReport(
        "TOTAL",
        inputs=sum(r.inputs for r in reports),
        tracebacks=sum(r.tracebacks for r in reports),
        lost=sum(r.lost for r in reports),
        unlocated=sum(r.unlocated for r in reports),
        problems=sum(r.problems for r in reports),
        analysed=sum(r.analysed for r in reports),
        seconds=round(time.perf_counter() - started, 1),
        peak_mb=max(r.peak_mb for r in reports),
    )
    print(format_row(total))
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in [*reports, total]], indent=1) + "\n")
    return 1 if total.tracebacks or total.lost or total.unlocated else 0


if __name__ == "__main__":
    sys.exit(main())
