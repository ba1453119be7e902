"""Input and output: articles in, in every format, and result files in and out.

>>> from communique.io import ReadOptions, read_inputs, read_results      # doctest: +SKIP
>>> for item in read_inputs(["news/"], ReadOptions(date="2026-02-01")):     # doctest: +SKIP
...     print(item.source)

Layout:

* ``common`` – ``ReadOptions`` and what every format shares: dates, building a ``Document``, decoding,
  binary sniffing, lines with a length limit, ``Span``.
* ``formats`` – the ``Format`` protocol (read a byte stream into Documents or Problems), ``Splittable``
  (cut a file into spans for Dask partitions) and the registry by extension.
* one module per format: ``text``, ``html``, ``jsonl``, ``jsonfile``, ``csvfile``, ``parquet``.
* ``inputs`` – paths, folders, standard input (``read_inputs``), and files in spans; the reading policies.
* ``results`` – result files: ``read_results`` (one error policy) and the writers.
"""

from communique.io.common import DEFAULT_OPTIONS, ReadOptions, Span, normalise_date
from communique.io.formats import (
    DEFAULT_FORMATS,
    FORMATS,
    KNOWN_EXTENSIONS,
    Format,
    Splittable,
    format_of,
    register,
)
from communique.io.inputs import list_files, read_file, read_inputs, read_span, split_file
from communique.io.results import (
    RESULT_FORMATS,
    ResultFile,
    is_result_file,
    open_result_file,
    parquet_schema,
    read_results,
    write_result,
)

__all__ = [
    "DEFAULT_FORMATS",
    "DEFAULT_OPTIONS",
    "FORMATS",
    "KNOWN_EXTENSIONS",
    "RESULT_FORMATS",
    "Format",
    "ReadOptions",
    "ResultFile",
    "Span",
    "Splittable",
    "format_of",
    "is_result_file",
    "list_files",
    "normalise_date",
    "open_result_file",
    "parquet_schema",
    "read_file",
    "read_inputs",
    "read_results",
    "read_span",
    "register",
    "split_file",
    "write_result",
]
