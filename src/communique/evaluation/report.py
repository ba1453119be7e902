"""Turning a scorer's figures into a readable table and a JSON report file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from communique.evaluation.datasets import SENTENCE_EVENT_SETS

MAX_MISSES_SHOWN = 20


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain text table: numeric columns right-aligned, text columns left-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], len(v))
    numeric = [
        i > 0 and all(isinstance(row[i], int | float) or row[i] in (".", "", None) for row in rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    return "\n".join(out)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def _prf_row(name: str, m: dict[str, Any]) -> list[Any]:
    return [name, m["precision"], m["recall"], m["f1"], m.get("gold", ""), m.get("predicted", "")]


def _classification(report: dict[str, Any]) -> list[str]:
    out = [
        f"event type accuracy {report['accuracy']:.3f}   macro-F1 {report['macro_f1']:.3f}   "
        f"({report['n']} sentences, {report['predicted_events']} with a predicted event)",
        "",
        table(
            ["type", "P", "R", "F1", "support", "predicted"],
            [
                [label, m["precision"], m["recall"], m["f1"], m["support"], m["predicted"]]
                for label, m in report["per_class"].items()
            ],
        ),
        "",
        "confusion matrix (rows gold, columns predicted):",
    ]
    columns = report["columns"]
    abbrev = [c[:4] for c in columns]
    rows = [[g] + [report["confusion"][g][c] or "." for c in columns] for g in report["labels"]]
    out.append(table(["gold \\ pred", *abbrev], rows))
    return out


def _accuracy_line(name: str, m: dict[str, Any]) -> str:
    return f"{name:<24} {m['accuracy']:.3f}  ({m['correct']}/{m['n']})"


def format_report(name: str, report: dict[str, Any]) -> str:
    """The stdout table of one data set's report."""
    s = report["settings"]
    head = (
        f"== {name} ({s['split']} split, {report['n_items']} items"
        + (f", limit {s['limit']}" if s.get("limit") else "")
        + f", model {s['model']}) =="
    )
    out = [head]
    if report.get("problems"):
        out.append(f"{report['problems']} item(s) failed in the pipeline (scored as empty); first reasons:")
        out += [f"  - {r}" for r in report.get("problem_reasons", [])[:3]]
    m = report["metrics"]
    if name in SENTENCE_EVENT_SETS:
        out += _classification(m)
        out.append("")
        sc, tc = m["source_country"], m["target_country"]
        out.append(_accuracy_line("source country accuracy", sc) + f"  unscored {sc['unscored']}")
        out.append(_accuracy_line("target country accuracy", tc) + f"  unscored {tc['unscored']}")
    elif name == "plv":
        out += _classification(m)
        out.append("")
        for role in ("source", "target"):
            sp = m[f"{role}_span"]
            out.append(
                f"{role} span match rate     {sp['match_rate']:.3f}  ({sp['correct']}/{sp['n']} sentences "
                f"with a predicted event and a gold {role}; {sp['gold_located']} gold {role}s located)"
            )
    elif name == "actor-resolution":
        out.append(_accuracy_line("country accuracy", m["country"]))
        out.append(_accuracy_line("first sector accuracy", m["first_sector"]))
        out.append(_accuracy_line("second sector accuracy", m["second_sector"]))
        out.append(_accuracy_line("all fields right", m["all_fields"]))
        misses = m["misses"]
        if misses:
            out.append("")
            out.append(f"misses ({len(misses)}; first {min(len(misses), MAX_MISSES_SHOWN)}):")
            rows = [
                [
                    x["id"],
                    x["actor"][:40],
                    _fmt_expected(x["expected"]),
                    _fmt_got(x["got"]),
                ]
                for x in misses[:MAX_MISSES_SHOWN]
            ]
            out.append(table(["id", "actor", "expected", "got"], rows))
    elif name == "polnear":
        out.append(
            f"{m['articles']} articles; gold attributions {m['counts']['gold_attributions']} "
            f"({m['counts']['gold_speech']} speech); predicted quotes {m['counts']['predicted_quotes']} "
            f"{m['counts']['predicted_by_kind']}"
        )
        out.append("")
        out.append(
            table(
                ["quotes", "P", "R", "F1", "gold", "predicted"],
                [_prf_row(k, m[k]) for k in ("direct", "indirect", "all")],
            )
        )
        out.append("")
        out.append(_accuracy_line("speaker (direct)", m["speaker"]["direct"]))
        out.append(_accuracy_line("speaker (indirect)", m["speaker"]["indirect"]))
        cm = m["cue_match"]
        out.append(f"{'cue match rate':<24} {cm['rate']:.3f}  ({cm['correct']}/{cm['n']})")
        out.append(_accuracy_line("kind agreement", m["kind_agreement"]))
    elif name == "realnews":
        out += _realnews(m)
    elif name == "geo":
        from communique.evaluation.geo import format_geo

        out += format_geo(m)
    elif name == "re3d":
        out.append(f"{m['documents']} documents; {m.get('ignored_pronouns', 0)} pronoun mentions not scored")
        out.append("")
        rows = [[*_prf_row(t, v), v["typed_precision"]] for t, v in m["per_type"].items()]
        for row in rows:
            if row[0] == "(no type)":  # no gold entity has 'no type': only precision means anything
                row[2] = row[3] = row[6] = None
        rows.append([*_prf_row("all", m["all"]), ""])
        out.append(table(["entity type", "P", "R", "F1", "gold", "predicted", "typed P"], rows))
    return "\n".join(out)


def _realnews(m: dict[str, Any]) -> list[str]:
    rows = [
        [a["article"], a["events"], a["gold"], a["type"], a["strict"], f"{a['main_strict']}/{a['main']}"]
        for a in m["per_article"]
    ]
    p, r = m["precision"], m["main_recall"]
    return [
        table(["article", "events", "gold", "type", "strict", "main strict"], rows),
        "",
        f"{m['articles']} articles, {m['events']} events out, {m['gold']} gold events ({m['main']} main)",
        f"precision  type {p['type']:.3f}  strict {p['strict']:.3f}   "
        f"(gold events matched / events out; a duplicate counts against it)",
        f"main-event recall  type {r['type']:.3f}  strict {r['strict']:.3f}",
        f"countries right    {m['countries_right']:.3f}   (records matched by type, both countries right)",
    ]


def _fmt_expected(expect: dict[str, str]) -> str:
    return " ".join(f"{k}={v or '-'}" for k, v in expect.items())


def _fmt_got(got: dict[str, Any]) -> str:
    if got.get("error"):
        return f"error: {got['error']}"[:60]
    return f"country={got.get('country') or '-'} sectors={','.join(got.get('sectors') or []) or '-'}"


def write_json(report: dict[str, Any], results_dir: str | Path, name: str, split: str) -> Path:
    """Write ``{results_dir}/eval-{name}-{split}.json`` and return its path."""
    folder = Path(results_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"eval-{name}-{split}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
