"""Quality checks of an item standard: one rule per machine-decidable reason code of domain.md 6.4.

``run_checks(standard)`` returns a sorted list of ``Finding`` (code, severity, field path, message in Chinese);
``has_errors(findings)`` tells whether any blocks submission; ``required_elements()`` and ``progress(standard)``
drive the editor's progress indicator.

Machine-checked (each in its module, registered with ``@rule``):

* ``form.py`` — 形式审查: F01 guide or manual effectively missing (one finding for the part, listing what it lacks);
  F02 a required element empty in a part that exists (one finding per element; the FAQ of a 行政许可 item is a
  warning); F03 fewer than two public or internal steps, so no flowchart can
  be drawn, or no supervision checklist.
* ``consistency.py`` — 合规性审查: C01 四级四同 (name, type and founding citations against the general catalogue);
  C03 promised limit against the legal limit, and step sums against the promised limit; C04 即办 ⇔ 即办件 ⇔ 即审即办;
  C05 fee basis, fee rows and the online-payment flag.
* ``wording.py`` — 合规性审查: C02 citations cited to the article (第…条); C06 phones that can be dialled (read by
  ``contacts.py``, the one parser of phone fields: labels, notes, extensions, hotlines) and a complaint line other than
  the consult line, 工作日 in the hours, a window, counter or room in the address; C07 material rows complete and
  named specifically; C08 catch-all, vague or cut-off wording in the conditions.
* ``limits.py`` — whether a limit in working days exceeds one in calendar days (or months), decided for every start
  date of the official calendar, so C03 warns only where the answer depends on the start date.

Left to the legality reviewers (合法性审查, 法制办/司法局), not implemented here:

* L01 cited law repealed, amended or not in force — needs an up-to-date register of laws and their versions, which
  the portal does not hold; a clerk's citation text alone cannot tell.
* L02 condition or material added beyond the legal basis — needs reading the cited article against the conditions
  and materials; the article text is optional free text and the judgement is legal, not textual.
* L03 implementing body lacks authority or delegation lacks a basis — depends on 三定 provisions and delegation
  documents outside the standard.
* L04 item not established by a law or regulation of the required rank — ``law_rank`` is optional and self-declared;
  whether a provision really *sets* the item is a reviewer's reading.
* L05 procedure or limits contrary to 行政许可法 — the clear-cut part (promised above legal limit, step sums) is C03;
  the rest (hearing and notice duties, statutory steps) needs legal judgement of the case.
"""

from . import consistency, form, wording  # noqa: F401  (importing the modules registers their rules)
from .context import CheckContext
from .form import RequiredElement, progress, required_elements
from .registry import RULES, Finding, Rule, has_errors, rule, run_checks

__all__ = [
    "RULES",
    "CheckContext",
    "Finding",
    "RequiredElement",
    "Rule",
    "has_errors",
    "progress",
    "required_elements",
    "rule",
    "run_checks",
]
