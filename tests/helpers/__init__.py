"""Builders and helpers shared by the tests.  Test modules import from here, never from each other.

- ``paths``: the repository, ../shared and its corpus of real Word files.
- ``db``: ``nothing_stored()``, the proof that a refused request stored nothing; ``rows(model)``.
- ``web``: log in, fetch CSRF tokens, post forms and upload files in view tests.
- ``pbf_docx``: PBF-like report .docx files built in code (comments, replies, tracked changes).
- ``pbf_sample``: sample answers and Word comments for a PBF report.
- ``reports``: another report for round trips, the set of a report's threads, an all-seeing viewer.
- ``checks``: small builders for the template checks (sections, results-framework tables).
- ``seed_sections``: the shared seed report turned into sections for the checks
  (``python -m tests.helpers.seed_sections`` prints every finding on it).
- ``interop_exports``, ``interop_readers``: the exports opened in LibreOffice and pandoc, and
  what those applications show of their comments.
- ``docxbuild``: the raw WordprocessingML builder (documents, comments, tracked changes).
- ``budget_xlsx``: realistic PBF budget workbooks (and hostile ones) written with openpyxl.
- ``wordio``: round-trip and package checks of the Word reader and writer, corpus paths.
- ``word_copies``: sections saved in the browser, exports edited by paragraph, the stale copy
  whose import conflicts on one section (preview and API upload tests).
- ``long_sections``: sections up to the 200,000-character cap with repeated sentences, comments
  and random edits with ground truth (re-anchoring property tests and ``bench_anchoring.py``).
"""
