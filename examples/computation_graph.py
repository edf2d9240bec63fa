"""The course's first computation graph, e = (a+b)*(b+1) with a=2, b=1, drawn forward and after
backward, with the chain rule for de/db and a step-by-step backprop page.

    python examples/computation_graph.py --out out/computation_graph
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tinygrad_course import draw_graph, save_backward_steps, seed_graph
from tinygrad_course.viz import chain_rule, dot_available, render


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out") / "computation_graph",
                        help="directory for the pictures (default: out/computation_graph)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    t = seed_graph()
    e = t["e"]
    pictures = {"seed_forward": draw_graph(e)}  # values only: backward has not run yet
    e.backward()
    pictures["seed_backward"] = draw_graph(e)  # now with de/d(each tensor)
    pictures["seed_chain_rule_b"] = draw_graph(e, highlight="b")

    # Without Graphviz the DOT source is still written (render it elsewhere, or install it).
    suffix = ".svg" if dot_available() else ".dot"
    for name, graph in pictures.items():
        print(f"wrote {render(graph, args.out / (name + suffix))}")
    print(f"wrote {save_backward_steps(e, args.out / 'seed_steps.html')}")
    print(f"forward:  c = {t['c'].item():g}, d = {t['d'].item():g}, e = {e.item():g}")
    print("backward: " + ", ".join(f"de/d{n} = {t[n].grad.item():g}" for n in "abcd"))
    print("chain rule: " + chain_rule(e, t["b"]).text)
    if suffix == ".dot":
        print("note: Graphviz's `dot` is not installed, so DOT source was written instead of "
              "SVG (Debian/Ubuntu: sudo apt-get install graphviz)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
