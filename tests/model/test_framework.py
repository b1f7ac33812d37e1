"""The model: construction, validation messages, tree queries and weights."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityeval import (
    Bounds,
    Dimension,
    Direction,
    EqualWeights,
    ExplicitWeights,
    Framework,
    Indicator,
    Label,
    ModelError,
    NotFoundError,
    Scale,
    ScaleKind,
)
from cityeval.testing import strategies as cst


def ind(id: str, **kw: object) -> Indicator:
    return Indicator(id, Label(en=id.upper()), **kw)  # type: ignore[arg-type]


def small() -> Framework:
    return Framework(
        "f",
        Label(id="Kerangka", en="Framework"),
        ("dimension", "element", "indicator"),
        (
            Dimension(
                "gov",
                Label(en="Governance"),
                weight=2,
                children=(
                    Dimension(
                        "svc", Label(en="Service"), indicators=(ind("a"), ind("b", weight=3))
                    ),
                    Dimension("pol", Label(en="Policy"), indicators=(ind("c"),)),
                ),
            ),
            Dimension(
                "env",
                Label(en="Environment"),
                children=(Dimension("waste", Label(en="Waste"), indicators=(ind("d"),)),),
            ),
        ),
    )


class TestLabel:
    def test_falls_back_to_the_other_language(self) -> None:
        assert Label(id="Sampah").text("en") == "Sampah"
        assert Label(en="Waste").text("id") == "Waste"
        assert Label(id="Sampah", en="Waste").text("id") == "Sampah"

    def test_needs_some_text(self) -> None:
        with pytest.raises(ModelError, match="needs Indonesian"):
            Label(id="  ", en=None)


class TestQueries:
    def test_walk_is_depth_first_in_file_order(self) -> None:
        assert [n.id for n in small().walk()] == [
            "gov",
            "svc",
            "a",
            "b",
            "pol",
            "c",
            "env",
            "waste",
            "d",
        ]

    def test_leaves_and_aggregates(self) -> None:
        fw = small()
        assert [i.id for i in fw.indicators()] == ["a", "b", "c", "d"]
        assert fw.leaves() == fw.indicators()
        assert [d.id for d in fw.aggregates()] == ["gov", "svc", "pol", "env", "waste"]

    def test_path_level_ancestors_parent_children(self) -> None:
        fw = small()
        assert fw.path("b") == ("gov", "svc", "b")
        assert fw.level("b") == "indicator"
        assert fw.level("svc") == "element"
        assert fw.ancestors("b") == ("svc", "gov")
        assert fw.parent("gov") is None
        assert [c.id for c in fw.children("gov")] == ["svc", "pol"]
        assert fw.children("a") == ()
        assert fw.depth("a") == 2
        assert fw.height == 3
        assert "waste" in fw and "nope" not in fw

    def test_unknown_node(self) -> None:
        with pytest.raises(NotFoundError, match="framework 'f' has no node 'zz'"):
            small().node("zz")


class TestWeights:
    def test_effective_weights_are_products_of_normalised_sibling_weights(self) -> None:
        w = small().effective_weights()
        # gov: svc and pol equal (1/2 each); a:b = 1:3 inside svc
        assert w["a"] == pytest.approx(0.5 * 0.25)
        assert w["b"] == pytest.approx(0.5 * 0.75)
        assert w["c"] == pytest.approx(0.5)
        assert w["d"] == pytest.approx(1.0)

    def test_index_level_effective_weights_include_top_weights(self) -> None:
        w = small().effective_weights(within="index")
        # gov weighs 2, env 1
        assert w["a"] == pytest.approx(2 / 3 * 0.5 * 0.25)
        assert w["d"] == pytest.approx(1 / 3)
        assert sum(w.values()) == pytest.approx(1.0)

    def test_node_effective_weights(self) -> None:
        w = small().effective_weights(nodes=True)
        assert w["gov"] == 1.0 and w["svc"] == 0.5

    def test_equal_scheme_ignores_declared_weights(self) -> None:
        w = small().effective_weights(EqualWeights())
        assert w["a"] == pytest.approx(0.25) and w["b"] == pytest.approx(0.25)

    def test_explicit_overrides(self) -> None:
        w = small().effective_weights(ExplicitWeights({"b": 1.0}))
        assert w["a"] == pytest.approx(0.25)
        with pytest.raises(NotFoundError, match="'zz'"):
            small().effective_weights(ExplicitWeights({"zz": 1.0}))

    def test_replace_weights(self) -> None:
        fw = small().replace_weights({"b": 1.0})
        assert fw.node("b").weight == 1.0
        assert small().node("b").weight == 3.0

    @given(cst.frameworks())
    def test_effective_weights_sum_to_one_within_each_top_node(self, fw: Framework) -> None:
        w = fw.effective_weights()
        for top in fw.dimensions:
            total = sum(v for k, v in w.items() if fw.path(k)[0] == top.id)
            assert math.isclose(total, 1.0, rel_tol=1e-9)

    @given(cst.frameworks(), st.data())
    def test_scaling_each_sibling_group_changes_nothing(
        self, fw: Framework, data: st.DataObject
    ) -> None:
        """Each group of siblings gets its own factor: only ratios among siblings matter.
        (One factor for the whole tree would pass even if weights were ignored.)"""
        factor = {
            parent: data.draw(st.floats(0.01, 100.0), label=f"factor of {parent}")
            for parent in {fw.parent(n.id) for n in fw.walk()}
        }
        scaled = fw.replace_weights({n.id: n.weight * factor[fw.parent(n.id)] for n in fw.walk()})
        a, b = fw.effective_weights(), scaled.effective_weights()
        assert all(math.isclose(a[key], b[key], rel_tol=1e-9) for key in a)

    @given(cst.frameworks())
    def test_effective_weights_agree_with_a_plain_recursion(self, fw: Framework) -> None:
        """The product of weight / sum of siblings' weights along the path, written out."""

        def walk(nodes: tuple[Dimension | Indicator, ...], above: float, out: dict[str, float]):  # type: ignore[no-untyped-def]
            total = sum(n.weight for n in nodes)
            for n in nodes:
                w = above * n.weight / total
                if isinstance(n, Indicator):
                    out[n.id] = w
                else:
                    walk(n.members, w, out)

        expected: dict[str, float] = {}
        walk(tuple(fw.dimensions), 1.0, expected)
        got = fw.effective_weights(within="index")
        assert got.keys() == expected.keys()
        assert all(math.isclose(got[k], expected[k], rel_tol=1e-9, abs_tol=1e-15) for k in got)

    def test_effective_weights_follow_unequal_weights(self) -> None:
        fw = small()  # a weighs 1 and b weighs 3 under the same parent
        w = fw.effective_weights()
        assert w["b"] == pytest.approx(3 * w["a"])


class TestValidation:
    def test_duplicate_ids_name_both_places(self) -> None:
        with pytest.raises(ModelError) as exc:
            Framework(
                "f",
                Label(en="F"),
                ("d", "i"),
                (Dimension("x", Label(en="X"), indicators=(ind("a"), ind("a"))),),
            )
        assert str(exc.value) == (
            "dimensions[0].indicators[1].id: duplicate id 'a' "
            "(first used at dimensions[0].indicators[0].id)"
        )

    def test_weight_must_be_finite_and_non_negative(self) -> None:
        with pytest.raises(ModelError, match=r"^weight: must be >= 0, got -1$"):
            Dimension("x", Label(en="X"), weight=-1)
        with pytest.raises(ModelError, match="weight: must be a finite number, got inf"):
            ind("a", weight=math.inf)

    def test_sibling_weights_must_not_all_be_zero(self) -> None:
        with pytest.raises(ModelError, match="the weights of the indicators of 'x' sum to zero"):
            Dimension("x", Label(en="X"), indicators=(ind("a", weight=0), ind("b", weight=0)))

    def test_ordinal_scale_needs_two_levels(self) -> None:
        with pytest.raises(ModelError, match="needs at least two levels, got 1"):
            Scale.ordinal("only")
        assert len(Scale.ordinal("Rintisan", "Terkelola").levels) == 2

    def test_levels_only_on_ordinal_scales(self) -> None:
        with pytest.raises(ModelError, match="only an ordinal scale has levels"):
            Scale(ScaleKind.RATIO, Scale.ordinal("a", "b").levels)

    def test_bounds_inside_the_scale(self) -> None:
        with pytest.raises(ModelError, match=r"bounds: \[0, 150\] lies outside the percentage"):
            ind("a", scale=Scale(ScaleKind.PERCENTAGE), bounds=Bounds(0, 150))

    def test_bounds_ordered(self) -> None:
        with pytest.raises(ModelError, match="upper: must be greater than lower"):
            Bounds(5, 5)

    def test_target_consistent_with_direction(self) -> None:
        gp = Bounds(0, 10)
        ind("a", goalposts=gp, target=8)
        ind("b", goalposts=gp, target=2, direction=Direction.LOWER)
        with pytest.raises(ModelError, match="target: 0 is the worst goalpost"):
            ind("c", goalposts=gp, target=0)
        with pytest.raises(ModelError, match="is worse than the worst goalpost"):
            ind("d", goalposts=gp, target=12, direction=Direction.LOWER, bounds=Bounds(0, 20))

    def test_goalposts_inside_bounds(self) -> None:
        with pytest.raises(ModelError, match=r"goalposts: .* lies outside the bounds"):
            ind("a", bounds=Bounds(0, 10), goalposts=Bounds(-1, 5))

    def test_empty_dimension_only_in_templates(self) -> None:
        dims = (Dimension("x", Label(en="X")),)
        with pytest.raises(ModelError, match="has no indicators below it"):
            Framework("f", Label(en="F"), ("d", "i"), dims)
        assert Framework("f", Label(en="F"), ("d", "i"), dims, template=True).template

    def test_mixed_children_rejected(self) -> None:
        with pytest.raises(ModelError, match="holds both sub-dimensions and indicators"):
            Dimension(
                "x",
                Label(en="X"),
                children=(Dimension("y", Label(en="Y"), indicators=(ind("a"),)),),
                indicators=(ind("b"),),
            )

    def test_levels_checked(self) -> None:
        dims = (Dimension("x", Label(en="X"), level="dimensi", indicators=(ind("a"),)),)
        with pytest.raises(ModelError, match=r"dimensions\[0\]\.level: unknown level 'dimensi'"):
            Framework("f", Label(en="F"), ("dimension", "indicator"), dims)
        with pytest.raises(ModelError, match="names only 1 levels"):
            Framework(
                "f",
                Label(en="F"),
                ("dimension",),
                (Dimension("x", Label(en="X"), indicators=(ind("a"),)),),
            )

    def test_indicators_at_one_depth(self) -> None:
        with pytest.raises(ModelError, match="indicators sit at different depths"):
            Framework(
                "f",
                Label(en="F"),
                ("d", "e", "i"),
                (
                    Dimension("x", Label(en="X"), indicators=(ind("a"),)),
                    Dimension(
                        "y",
                        Label(en="Y"),
                        children=(Dimension("z", Label(en="Z"), indicators=(ind("b"),)),),
                    ),
                ),
            )

    def test_bad_id(self) -> None:
        with pytest.raises(ModelError, match="'a b' is not a valid id"):
            ind("a b")

    def test_frameworks_are_hashable_values(self) -> None:
        assert small() == small()
        assert hash(small()) == hash(small())
