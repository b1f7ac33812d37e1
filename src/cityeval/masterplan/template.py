"""A commented masterplan file to start from: every field explained, one example per dimension.

The text is written by hand rather than dumped, so that each field can carry its comment; a
test loads it back to prove it is a valid masterplan as it stands.
"""

from __future__ import annotations

import json
import re

from cityeval.i18n import _
from cityeval.model import Dimension, Framework, Label

__all__ = ["masterplan_template", "slug"]


def slug(text: str) -> str:
    """A lower-case id from a name: ``"Kota Tegal"`` gives ``"kota-tegal"``."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out or "masterplan"


def _q(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar, whatever characters it holds.
    return json.dumps(text, ensure_ascii=False)


def _label(label: Label, indent: str) -> str:
    lines = []
    if label.id is not None:
        lines.append(f"{indent}id: {_q(label.id)}")
    if label.en is not None:
        lines.append(f"{indent}en: {_q(label.en)}")
    return "\n".join(lines)


_HEAD = """\
# Smart-city masterplan (masterplan smart city) of {title}, for cityeval.
#
# Written by `cityeval masterplan init`. Check it with `cityeval masterplan validate FILE`:
# every problem is reported with its field path, such as programmes[2].indicators[0].targets.
# Text written as {{id: ..., en: ...}} is bilingual: Indonesian (id) and English (en); either
# may be left out, or write a single plain string for both.
#
# The programmes below are EXAMPLES (one per dimension, each attached to a real element of
# the framework) that only show the format: replace them with your masterplan's programmes.

# id: a short name for this masterplan (letters, digits, '-', '_', '.'); forms and
# evaluation rounds refer to it.
id: {id}

# regency: the region (daerah) whose masterplan this is.
regency:
  # name: without "Kabupaten" or "Kota".
  name: {name}
  # province (provinsi), for example "Sumatera Selatan".
  province: {province}
  # code: the region code of the Ministry of Home Affairs (kode wilayah Kemendagri): two
  # digits, a dot, two digits, in quotes, for example "16.07". Leave null if unknown.
  code: {code}
  # kind: kabupaten (regency) or kota (city).
  kind: {kind}

# period: the years the masterplan covers, both included (masterplans span 5 to 10 years).
period:
  start_year: {start}
  end_year: {end}

# framework: the planning framework whose dimensions and elements the programmes are
# attached to: a registered framework id (see `cityeval frameworks list`) or the path of a
# framework file, relative to this file.
framework: {framework}

# vision: the smart-city vision (visi) of the masterplan.
vision:
  id: {vision_id}
  en: {vision_en}

# goals: the masterplan's own goal (sasaran) for each dimension, by dimension id. Filled in
# here with the framework's general goals: replace them with your own.
goals:
"""

_OPDS = """
# opds: the regional government agencies (organisasi perangkat daerah, OPD) that run the
# programmes. Each has an id (used below and in forms), a name and a short name (singkatan),
# which names its sheet in the evaluation form (`cityeval masterplan form`).
opds:
  - id: bappeda
    name:
      id: "Badan Perencanaan Pembangunan Daerah"
      en: "Regional Development Planning Agency"
    short_name: Bappeda
  - id: diskominfo
    name:
      id: "Dinas Komunikasi dan Informatika"
      en: "Communication and Informatics Office"
    short_name: Diskominfo

# programmes: each programme is attached to one dimension of the framework and one element
# (a child of that dimension), and has:
#   opds: the OPDs responsible, lead first (at least one, each declared above);
#   term: quick_win (program percepatan), short, medium or long (jangka pendek, menengah,
#     panjang);
#   start_year, end_year: the years it runs, inside the period;
#   budget: optional, in rupiah;
#   indicators: at least one, each with a unit, a direction (higher or lower is better), a
#     baseline (value and year) and targets by year, such as {{2019: 60, 2021: 90}}. Target
#     years fall in the programme's years, and no target may equal the baseline (progress
#     toward it could not be measured).
programmes:
"""

_PROGRAMME = """\
  - id: {id}
    name:
      id: {name_id}
      en: {name_en}
    dimension: {dimension}
    element: {element}
    opds: [{opds}]
    term: {term}
    start_year: {start}
    end_year: {end}
    budget: null
    description:
      id: "Contoh: ganti dengan uraian program dari masterplan."
      en: "Example: replace with the programme's description from the masterplan."
    indicators:
      - id: progress
        name:
          id: "Capaian pelaksanaan program"
          en: "Programme implementation achieved"
        unit: "%"
        direction: higher
        baseline: {{value: 0, year: {start}}}
        targets: {targets}
        data_source: {data_source}
"""

_TAIL = """
# weights: optional weights by dimension, element or programme id, relative to their
# siblings; anything not listed weighs 1 (equal weights). For example: {governance: 2}
weights: {}

# sources: where the masterplan's facts come from; grade A official document, B news or
# press release quoting officials, C third-party material, U unverified.
sources: []

# note: where the data come from and how far they can be trusted.
note: null
"""


def masterplan_template(
    regency: str,
    framework: Framework,
    *,
    start_year: int,
    years: int = 5,
    province: str | None = None,
    code: str | None = None,
    kind: str = "kabupaten",
    masterplan_id: str | None = None,
    framework_ref: str | None = None,
) -> str:
    """The text of a commented masterplan file that loads and validates as it is.

    Parameters
    ----------
    regency : str
        The regency's or city's name, without "Kabupaten" or "Kota".
    framework : Framework
        The framework to attach programmes to; every top node needs at least one element.
    start_year : int
        The first year of the masterplan.
    years : int
        How many years it covers (5 by default).
    province, code : str, optional
        The province and the Kemendagri region code (``"16.07"``).
    kind : {"kabupaten", "kota"}
        Regency or city.
    masterplan_id : str, optional
        The masterplan's id; by default a slug of the regency's name.
    framework_ref : str, optional
        How the file names the framework (an id or a path); ``framework.id`` by default.

    Raises
    ------
    ValueError
        If ``years`` is below 1, or a dimension of the framework has no elements.
    """
    if years < 1:
        raise ValueError(
            _("a masterplan covers at least one year, got {years}").format(years=years)
        )
    end = start_year + years - 1
    title = f"{kind.capitalize()} {regency}"
    parts = [
        _HEAD.format(
            title=title,
            id=_q(masterplan_id or slug(regency)),
            name=_q(regency),
            province=_q(province) if province else "null",
            code=_q(code) if code else "null",
            kind=kind,
            start=start_year,
            end=end,
            framework=_q(framework_ref or framework.id),
            vision_id=_q(f"{title} yang cerdas, melayani dan sejahtera (contoh: ganti)"),
            vision_en=_q(f"A smart, serving and prosperous {title} (example: replace)"),
        )
    ]
    for dim in framework.dimensions:
        goal = dim.goal if isinstance(dim, Dimension) and dim.goal is not None else dim.label
        parts.append(f"  {dim.id}:\n{_label(goal, '    ')}\n")
    parts.append(_OPDS)
    target_years = sorted({min(start_year + 1, end), end})
    targets = ", ".join(
        f"{y}: {round(100 * (i + 1) / len(target_years))}" for i, y in enumerate(target_years)
    )
    for n, dim in enumerate(framework.dimensions):
        elements = [c for c in dim.children if isinstance(c, Dimension)]
        if not elements:
            raise ValueError(
                _(
                    "dimension {dimension} of framework {framework} has no elements; a "
                    "masterplan attaches its programmes to elements"
                ).format(dimension=repr(dim.id), framework=repr(framework.id))
            )
        element = elements[0]
        parts.append(
            _PROGRAMME.format(
                id=_q(f"example-{dim.id}"),
                name_id=_q(f"Contoh program {element.label.text('id')}"),
                name_en=_q(f"Example programme: {element.label.text('en')}"),
                dimension=_q(dim.id),
                element=_q(element.id),
                # The examples alternate between the two OPDs, so that each OPD's form
                # (one workbook per OPD) has programmes of its own.
                opds="bappeda" if n % 2 == 0 else "diskominfo",
                term="quick_win" if n == 0 else "medium",
                start=start_year,
                end=end,
                targets="{" + targets + "}",
                data_source=_q("Laporan OPD (contoh)"),
            )
        )
    parts.append(_TAIL)
    return "".join(parts)
