"""Chatbot quality and speed: the matcher beside a plain TF-IDF + logistic-regression baseline.

    python -m bench.chat [--file PATH] [--no-misses] [--held-out] [--folds 5]

Both are trained on the same content (webapp/matcher/training.py: explainer phrases, titles, red flags,
scam scripts, benign look-alikes, small talk as "not a scam") and asked, side by side:

- the dev set (default ../shared/chat-dev.jsonl), with urgency;
- with --held-out: k-fold held-out content (a fifth of every type's phrases, scripts and benign texts left
  out, the model fitted on the rest, the fifth asked; the zh-Hans ones asked again in Traditional script),
  scored twice: a first answer is right when it names the type the text is written under or one it fits as
  well (content/training/overlaps.yaml, as the dev set's `expect` lists), and strictly, its own type only;
  the quiz banks' scene texts (never learned); texts by other hands (bench/unseen.yaml, never learned: the
  folds of our own content run optimistic, these are what a new writer gets; and bench/unseen-2.yaml, by hands
  that read only the taxonomy, scored apart); the labelled urgency set (content/training/urgency.yaml).
  The matcher's urgency rules learn nothing from that set; the baseline's urgency classifier is scored on
  it by k-fold.

Figures: top-1, top-3, rejection (not-a-scam texts given no type), urgent precision/recall, per language
and per register or style; latency p50/p99 per message in-process; build time (fitted, and from cache).
For held-out content and the quiz scenes also the matcher's top-1 per expected type, worst first, and its
commonest confusions (expected -> got first); for held-out content the figures at other stage-1
thresholds, from which Matcher.SCAM is chosen.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import jieba
import numpy as np
import opencc
import yaml
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from webapp.catalog import load_catalog
from webapp.matcher import Example, Matcher, normalise
from webapp.matcher.features import prepare as prepare_segmenter
from webapp.matcher.ranker import _blocks, blocked
from webapp.matcher.training import examples as training_examples

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT.parent / "shared" / "chat-dev.jsonl"
TARGETS = {"top1": 0.93, "top3": 0.98, "reject": 0.92, "urgP": 0.92, "urgR": 0.92}
_TO_HANT = opencc.OpenCC("s2tw")

Verdict = tuple[list[str], bool]  # types, best first (none: not a scam), and urgent


class Baseline:
    """The plain pipeline the issue measured: TF-IDF over character 1-3-grams and jieba words, one
    logistic regression over the types and "none" (everything that is not a scam); urgency, when given
    labelled texts, a second such model."""

    def __init__(self, labelled: Sequence[tuple[str, str]], urgency: Sequence[tuple[str, bool]] = ()):
        with threadpool_limits(1):
            self.chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
            self.words = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=True, sublinear_tf=True)
            texts = [normalise(t) for _, t in labelled]
            self.model = LogisticRegression(C=10, max_iter=300)
            self.model.fit(self._vectors(texts, fit=True), [label if not label.startswith("~") else "none" for label, _ in labelled])
            self.urgency = None
            if urgency:
                self.urgency = LogisticRegression(C=10, max_iter=300, class_weight="balanced")
                self.urgency.fit(self._vectors([normalise(t) for t, _ in urgency]), [u for _, u in urgency])

    def _vectors(self, texts, fit=False):
        if fit:
            return sparse.hstack([self.chars.fit_transform(texts), self.words.fit_transform(texts)]).tocsr()
        return sparse.hstack([self.chars.transform(texts), self.words.transform(texts)]).tocsr()

    def __call__(self, text: str) -> Verdict:
        vector = self._vectors([normalise(text)])
        probabilities = self.model.predict_proba(vector)[0]
        order = [self.model.classes_[i] for i in np.argsort(-probabilities)]
        urgent = bool(self.urgency.predict(vector)[0]) if self.urgency is not None else False
        if order[0] == "none":
            return [], urgent
        return [c for c in order if c != "none"][:3], urgent


def matcher_verdict(matcher: Matcher) -> Callable[[str], Verdict]:
    def verdict(text: str) -> Verdict:
        analysis = matcher.analyse(text)
        return [m.slug for m in analysis.matches], analysis.urgent
    return verdict


class Tally:
    def __init__(self):
        self.stats = defaultdict(lambda: defaultdict(int))
        self.latencies: list[float] = []
        self.misses: list[tuple[dict, list[str], bool]] = []
        self.by_type = defaultdict(lambda: [0, 0])  # expected type ("none": not a scam) -> [right first, asked]
        self.confusions: Counter[tuple[str, str]] = Counter()  # (expected, got first) when they differ

    def add(self, groups, expect: Sequence[str], urgent: bool | None, got: list[str], got_urgent: bool):
        expected, first = (expect[0] if expect else "none"), (got[0] if got else "none")
        right = first in expect if expect else first == "none"
        self.by_type[expected][0] += right
        self.by_type[expected][1] += 1
        if not right:
            self.confusions[expected, first] += 1
        for group in ("all", *groups):
            s = self.stats[group]
            if expect:
                s["fraud"] += 1
                s["top1"] += bool(got and got[0] in expect)
                s["top3"] += bool(set(got[:3]) & set(expect))
            else:
                s["benign"] += 1
                s["rejected"] += not got
            if urgent is not None:
                s["urgent_n"] += 1
                s["urgent_true"] += urgent
                s["urgent_pred"] += got_urgent
                s["urgent_hit"] += urgent and got_urgent

    def figures(self, group="all") -> dict[str, float]:
        s = self.stats[group]
        ratio = lambda a, b: s[a] / s[b] if s[b] else float("nan")  # noqa: E731
        return {"n": s["fraud"] + s["benign"], "top1": ratio("top1", "fraud"), "top3": ratio("top3", "fraud"),
                "reject": ratio("rejected", "benign"), "urgP": ratio("urgent_hit", "urgent_pred"),
                "urgR": ratio("urgent_hit", "urgent_true")}


def ask(tally: Tally, verdict, text, expect, urgent, groups, row=None, timed=False):
    started = time.perf_counter()
    got, got_urgent = verdict(text)
    if timed:
        tally.latencies.append((time.perf_counter() - started) * 1000)
    tally.add(groups, expect, urgent, got, got_urgent)
    wrong = (expect and (not got or got[0] not in expect)) or (not expect and got)
    if row is not None and (wrong or (urgent is not None and bool(urgent) != got_urgent)):
        tally.misses.append((row, got, got_urgent))


def side_by_side(title: str, ours: Tally, theirs: Tally, columns=("top1", "top3", "reject", "urgP", "urgR")) -> None:
    print(f"\n== {title} ==")
    head = "  ".join(f"{c:>6}" for c in columns)
    print(f"{'':<22}{'n':>5}   matcher: {head}   | baseline: {head}")
    groups = ["all", *sorted(g for g in ours.stats if g != "all")]
    for group in groups:
        a, b = ours.figures(group), theirs.figures(group)
        cell = lambda f: "  ".join("   -  " if f[c] != f[c] else f"{f[c]:6.3f}" for c in columns)  # noqa: E731
        print(f"{group:<22}{a['n']:>5}            {cell(a)}   |           {cell(b)}")
    a = ours.figures()
    short = [c for c in columns if a[c] == a[c] and a[c] < TARGETS[c]]
    print("targets (>= " + ", ".join(f"{c} {TARGETS[c]}" for c in columns) + "): "
          + ("all met" if not short else "short on " + ", ".join(short)))


def breakdown(title: str, tally: Tally, worst: int = 12, pairs: int = 15) -> None:
    """The matcher's top-1 per expected type (rejection for "none"), worst first, and its commonest mistakes."""
    print(f"\n-- {title}: matcher's top-1 per expected type, worst first --")
    rows = sorted(tally.by_type.items(), key=lambda item: item[1][0] / item[1][1])
    for expected, (right, asked) in rows[:worst]:
        print(f"  {right / asked:6.3f}  {right:>4}/{asked:<4} {expected}")
    print(f"-- {title}: commonest confusions (expected -> got first) --")
    for (expected, got), count in tally.confusions.most_common(pairs):
        print(f"  {count:>4}  {expected} -> {got}")


def latency_line(name: str, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return f"{name}: p50 {p(0.50):.2f} ms, p99 {p(0.99):.2f} ms, max {ordered[-1]:.2f} ms"


def dev_set(rows, ours, theirs, show_misses=True) -> tuple[Tally, Tally]:
    a, b = Tally(), Tally()
    for row in rows:
        groups = (f"lang:{row.get('lang')}", f"style:{row.get('style')}")
        urgent = bool(row.get("urgent"))
        ask(a, ours, row["text"], row["expect"], urgent, groups, row, timed=True)
        ask(b, theirs, row["text"], row["expect"], urgent, groups, timed=True)
    side_by_side(f"dev set ({len(rows)} texts)", a, b)
    print(latency_line("latency per message, matcher", a.latencies) + " (target p99 <= 10 ms)")
    print(latency_line("latency per message, baseline", b.latencies))
    if show_misses:
        print(f"\nmatcher's misses on the dev set ({len(a.misses)}):")
        for row, got, got_urgent in a.misses:
            flag = f" urgent {bool(row.get('urgent'))}->{got_urgent}" if bool(row.get("urgent")) != got_urgent else ""
            print(f"  [{row.get('id')}] expect {row['expect'] or '[]'} got {got or '-'}{flag}\n      {row['text'][:110]}")
    return a, b


def folds_of(examples: Sequence[Example], folds: int) -> list[list[Example]]:
    """Every (label, source, register, language) group split into `folds` interleaved parts."""
    groups: dict[tuple, list[Example]] = defaultdict(list)
    for example in examples:
        if example.held_out:
            groups[(example.label, example.source, example.register, example.lang)].append(example)
    return [[e for group in groups.values() for e in group[fold::folds]] for fold in range(folds)]


def held_out(catalog, folds: int) -> tuple[Tally, Tally, float]:
    everything = training_examples(catalog)
    a, b = Tally(), Tally()  # a first answer of any type the text fits (its own, or one overlaps.yaml names) is right
    a_strict, b_strict = Tally(), Tally()  # only its own type is
    fits = []
    stage_one: list[tuple[list[str], float, list[str], bool]] = []  # (expected, P(scam), likeliest 3, looks benign)
    answers: list[tuple[list[str], list[tuple[str, float]], bool]] = []  # scam texts answered: (expected, 3 likeliest, hedged)
    for part in folds_of(everything, folds):
        started = time.perf_counter()
        matcher = Matcher.from_catalog(catalog, exclude=part)
        fits.append(time.perf_counter() - started)
        left_out = set(part)
        baseline = Baseline([(e.label, e.text) for e in everything if e not in left_out])
        for example in part:
            strict = [] if example.label.startswith("~") else [example.label]
            expect = [*strict, *example.also] if strict else []  # overlaps.yaml: the other types it fits are right too
            asked = [(example.text, example.lang)]
            if example.lang == "zh-Hans":
                asked.append((_TO_HANT.convert(example.text), "zh-Hant"))
            for text, lang in asked:
                groups = (f"lang:{lang}", f"register:{example.register}")
                analysis = matcher.analyse(text)  # once: its matches are scored and its hedging kept below
                ours = ([m.slug for m in analysis.matches], analysis.urgent)
                for (got, got_urgent), accepted, single in ((ours, a, a_strict), (baseline(text), b, b_strict)):
                    accepted.add(groups, expect, None, got, got_urgent)
                    single.add(groups, strict, None, got, got_urgent)
                normal = normalise(text)
                vector = matcher.ranker.vector(normal)
                raw = matcher.ranker.raw_vector(normal)
                likeliest = matcher.ranker.type_probabilities(vector, raw)[:3]
                ranked = [slug for slug, _ in likeliest]
                if expect and analysis.matches:
                    answers.append((expect, likeliest, analysis.hedged))
                stage_one.append((expect, matcher.ranker.scam_probability(vector, normal, raw), ranked,
                                  matcher.ranker.looks_benign(vector)))
    overlapping = sum(bool(e.also) for e in everything if e.held_out)
    side_by_side(f"held-out content ({folds}-fold; zh-Hans also asked in zh-Hant; right: its type or one it also fits, "
                 f"overlaps.yaml, {overlapping} texts)", a, b, ("top1", "top3", "reject"))
    side_by_side("held-out content, strict (right: only the type it is written under)", a_strict, b_strict,
                 ("top1", "top3", "reject"))
    breakdown("held-out content", a)
    threshold_sweep(stage_one)
    runner_up_sweep(answers, sum(1 for expect, *_ in stage_one if expect))
    return a, b, float(np.median(fits))


def threshold_sweep(stage_one, thresholds=(0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.875, 0.9)) -> None:
    """The held-out figures had stage 1 answered from other thresholds (the veto kept; its two exceptions, a
    text that says it was a scam or names one, left out): what Matcher.SCAM was chosen from, the point that
    keeps every held-out figure per language and register level with or above the baseline's, with the most
    top-1 and top-3."""
    print(f"\n-- held-out content by stage-1 threshold, one for every language (now P(scam) >= {Matcher.SCAM}, "
          f"{Matcher.SCAM_LATIN} without Chinese; veto below {Matcher.VETO}) --")
    answered = lambda p, t, benign: p >= t and (p >= Matcher.VETO or not benign)  # noqa: E731
    fraud = [(p, ranked, expect, benign) for expect, p, ranked, benign in stage_one if expect]
    benign = [(p, looks) for expect, p, _, looks in stage_one if not expect]
    for threshold in thresholds:
        top1 = sum(answered(p, threshold, b) and ranked[0] in expect for p, ranked, expect, b in fraud) / len(fraud)
        top3 = sum(answered(p, threshold, b) and bool(set(ranked) & set(expect)) for p, ranked, expect, b in fraud) / len(fraud)
        reject = sum(not answered(p, threshold, b) for p, b in benign) / len(benign)
        print(f"  {threshold:4.2f}  top1 {top1:.3f}  top3 {top3:.3f}  reject {reject:.3f}  mean(top1, reject) {(top1 + reject) / 2:.3f}")


def runner_up_sweep(answers, fraud: int, cuts=(0.0, 0.005, 0.01, 0.02, 0.03, 0.05)) -> None:
    """Held-out top-3 had a second or third match needed other P(type | scam) (Matcher.RUNNER_UP; a hedged answer
    always shows three), and how many matches an answer then shows: RUNNER_UP is the largest cut that loses no
    held-out top-3 against showing three always."""
    print(f"\n-- held-out content by runner-up cut (now P(type | scam) >= {Matcher.RUNNER_UP} for a 2nd or 3rd match) --")
    for cut in cuts:
        shown = [[slug for rank, (slug, p) in enumerate(likeliest) if rank == 0 or hedged or p >= cut]
                 for _, likeliest, hedged in answers]
        top3 = sum(bool(set(got) & set(expect)) for got, (expect, _, _) in zip(shown, answers)) / fraud
        print(f"  {cut:5.3f}  top3 {top3:.4f}  matches per answer {sum(map(len, shown)) / max(1, len(shown)):.2f}")


def quiz_scenes(catalog, ours, theirs) -> tuple[Tally, Tally]:
    a, b = Tally(), Tally()
    for quiz in catalog.quizzes.values():
        for question in quiz.questions:
            if question.scene is None:
                continue
            for locale in ("zh-Hans", "zh-Hant", "en"):
                groups = (f"lang:{locale}", f"audience:{quiz.audience}")
                ask(a, ours, question.scene.get(locale), [question.slug], None, groups)
                ask(b, theirs, question.scene.get(locale), [question.slug], None, groups)
    side_by_side("quiz scenes (never learned)", a, b, ("top1", "top3"))
    breakdown("quiz scenes", a)
    return a, b


UNSEEN = Path(__file__).with_name("unseen.yaml")
# Its second part, by writers who read only the taxonomy (scam-types.yaml): scored apart, a part each.
UNSEEN_PARTS = {UNSEEN: "texts by other hands, never learned (bench/unseen.yaml)",
                UNSEEN.with_name("unseen-2.yaml"):
                    "texts by hands that read only the taxonomy, never learned (bench/unseen-2.yaml)"}


def unseen_texts(ours, theirs, path: Path = UNSEEN, title: str = UNSEEN_PARTS[UNSEEN]) -> tuple[Tally, Tally]:
    """Texts by other hands that neither model learned (a part of UNSEEN_PARTS): scam texts by type, look-alikes."""
    a, b = Tally(), Tally()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for side in ("scam", "benign"):
        for slug, registers in data[side].items():
            for register, by_lang in registers.items():
                for lang, texts in by_lang.items():
                    for text in texts:
                        expect = [slug] if side == "scam" else []
                        ask(a, ours, text, expect, None, (f"lang:{lang}", f"register:{register}"))
                        ask(b, theirs, text, expect, None, (f"lang:{lang}", f"register:{register}"))
    side_by_side(title, a, b, ("top1", "top3", "reject"))
    breakdown("texts by other hands", a)
    return a, b


def urgency_set(catalog, ours, labelled, folds: int) -> tuple[Tally, Tally]:
    """The matcher's rules against the whole set; the baseline's urgency model k-fold on it."""
    cases = catalog.training.urgency
    a, b = Tally(), Tally()
    for case in cases:
        got, got_urgent = ours(case.text)
        a.add((f"lang:{case.lang}", f"register:{case.register}", f"family:{case.family}"), ["?"], case.urgent, got, got_urgent)
    for fold in range(folds):
        test = cases[fold::folds]
        train = [c for i, c in enumerate(cases) if i % folds != fold]
        baseline = Baseline(labelled, [(c.text, c.urgent) for c in train])
        for case in test:
            got, got_urgent = baseline(case.text)
            b.add((f"lang:{case.lang}", f"register:{case.register}", f"family:{case.family}"), ["?"], case.urgent, got, got_urgent)
    side_by_side(f"urgency set ({len(cases)} texts; baseline {folds}-fold)", a, b, ("urgP", "urgR"))
    misses = [c for c in cases if ours(c.text)[1] != c.urgent]
    if misses:
        print(f"matcher's urgency misses ({len(misses)}):")
        for case in misses:
            print(f"  [{case.family}, urgent {case.urgent}] {case.text[:100]}")
    return a, b


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", default=str(DEFAULT_SET))
    parser.add_argument("--no-misses", action="store_true")
    parser.add_argument("--held-out", action="store_true", help="also held-out content, quiz scenes, the urgency set")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in Path(args.file).read_text(encoding="utf-8").splitlines() if line.strip()]
    catalog = load_catalog(ROOT / "content", ROOT / "quizzes")
    everything = training_examples(catalog)
    labelled = [(e.label, e.text) for e in everything]
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        prepare_segmenter()  # part of the build, timed on its own: a cached model needs it too
        segmenter = time.perf_counter() - started
        matcher = Matcher.from_catalog(catalog, cache_dir=cache)
        fitted = time.perf_counter() - started
        started = time.perf_counter()
        Matcher.from_catalog(catalog, cache_dir=cache)
        cached = time.perf_counter() - started
        blocked.cache_clear(), _blocks.cache_clear()  # as in a new process, but for the segmenter's dictionary
        started = time.perf_counter()
        Matcher.from_catalog(catalog, exclude=everything[:1], cache_dir=cache)  # content/ changed: one text less
        rebuilt = time.perf_counter() - started
    started = time.perf_counter()
    urgency = [(c.text, c.urgent) for c in catalog.training.urgency]
    baseline = Baseline(labelled, urgency)
    baseline_seconds = time.perf_counter() - started
    print(f"training texts: {len(everything)} ({sum(not e.label.startswith('~') for e in everything)} scam, "
          f"{sum(e.label.startswith('~') for e in everything)} not); urgency set: {len(urgency)}")
    print(f"build: matcher fitted {fitted:.2f} s (of which the word segmenter's dictionary {segmenter:.2f} s, loaded once "
          f"per process), from cache {cached:.2f} s, refitted after a change to content/ (tokens kept) {rebuilt:.2f} s "
          f"(target <= 2 s); baseline {baseline_seconds:.2f} s")
    ours = matcher_verdict(matcher)
    ours("warm up"), baseline("warm up")
    print(f"thresholds: P(scam) >= {Matcher.SCAM}, {Matcher.SCAM_LATIN} without Chinese (below {Matcher.VETO} only if stage 2 does not find a look-alike likelier), sure type P(type|scam) >= {Matcher.SURE} or {Matcher.LEAD}x the second (else hedged top 3), "
          f"runner-up >= {Matcher.RUNNER_UP}")
    dev = dev_set(rows, ours, baseline, not args.no_misses)
    if args.held_out:
        held_out(catalog, args.folds)
        quiz_scenes(catalog, ours, baseline)
        for path, title in UNSEEN_PARTS.items():
            unseen_texts(ours, baseline, path, title)
        if catalog.training.urgency:
            urgency_set(catalog, ours, labelled, args.folds)
    return dev[0].stats


if __name__ == "__main__":
    main()
