"""The ``course`` command: look at and check the course's datasets.

Examples
--------
>>> main(["datasets"])  # doctest: +ELLIPSIS
bill_counts ... rows
...
federal_timeline ... rows
...
0
"""

from __future__ import annotations

import argparse
import sys

from course import datasets

__all__ = ["main"]


def _list(_: argparse.Namespace) -> int:
    for name in datasets.available():
        frame = datasets.load(name)
        print(f"{name:<20} {len(frame):>4} rows")
    return 0


def _check(_: argparse.Namespace) -> int:
    failed = 0
    for name in datasets.available():
        try:
            frame = datasets.load(name)
        except datasets.DatasetError as exc:
            failed += 1
            print(f"FAIL {name}: {exc}", file=sys.stderr)
        else:
            print(f"ok   {name}: {len(frame)} rows valid")
    return 1 if failed else 0


def _card(args: argparse.Namespace) -> int:
    print(datasets.card(args.name))
    return 0


def _count_frames(args: argparse.Namespace) -> int:
    from pathlib import Path

    from course import sources

    texts = sources.read_seed_texts(args.seeds_dir)
    counts = sources.count_frames(texts, datasets.load_seed_frames())
    out = Path(args.output) if args.output else Path(__file__).parent / "seeds" / "frame_counts.csv"
    counts.to_csv(out, index=False)
    print(f"wrote {len(counts)} counts for {len(texts)} articles to {out}")
    return 0


def _grade(args: argparse.Namespace) -> int:
    from course import grading

    try:
        report = grading.grade(
            args.course,
            args.assignment,
            jobs=args.jobs,
            student=args.student,
            force=args.force,
            cell_timeout=args.timeout,
            db_url=args.db_url,
            budget=args.budget,
            cluster=args.cluster,
        )
    except ValueError as exc:
        print(f"course grade: {exc}", file=sys.stderr)
        return 2
    print(grading.format_summary(report))
    return 0 if report.ok else 1


def _feedback(args: argparse.Namespace) -> int:
    from pathlib import Path

    from course.grading import feedback

    try:
        pages = feedback.generate(args.course, args.assignment, student=args.student)
    except ValueError as exc:
        print(f"course feedback: {exc}", file=sys.stderr)
        return 2
    for page in pages:
        print(page)
    students = len({page.parent.parent.name for page in pages})
    where = Path(args.course).resolve() / "feedback" / "*" / args.assignment
    print(f"wrote {len(pages)} feedback pages for {students} students to {where}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from course.grading import report

    try:
        paths = report.build(args.course, args.assignment, output=args.output)
    except ValueError as exc:
        print(f"course report: {exc}", file=sys.stderr)
        return 2
    for path in paths.values():
        print(path)
    return 0


def _regrade(args: argparse.Namespace) -> int:
    from course import grading
    from course.grading.regrade import regrade

    try:
        report, pages = regrade(
            args.course, args.assignment, args.student, db_url=args.db_url, progress=True
        )
    except ValueError as exc:
        print(f"course regrade: {exc}", file=sys.stderr)
        return 2
    print(grading.format_summary(report))
    for page in pages:
        print(f"feedback: {page}")
    return 0 if report.ok else 1


def _export(args: argparse.Namespace) -> int:
    from course.grading import export

    try:
        result = export.export(
            args.course,
            args.assignment,
            args.format,
            args.roster,
            key=args.key,
            output=args.output,
            db_url=args.db_url,
        )
    except ValueError as exc:
        print(f"course export: {exc}", file=sys.stderr)
        return 2
    print(result.summary())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the ``course`` command with ``argv`` (default: the process's arguments)."""
    parser = argparse.ArgumentParser(prog="course", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("datasets", help="list the datasets and their sizes").set_defaults(run=_list)
    sub.add_parser("check-data", help="validate every dataset file").set_defaults(run=_check)
    show = sub.add_parser("card", help="print a dataset's card (columns, sources, date)")
    show.add_argument("name", choices=datasets.available())
    show.set_defaults(run=_card)
    frames = sub.add_parser(
        "count-frames", help="recount the frame terms in the seed article files (maintainers)"
    )
    frames.add_argument("seeds_dir", help="folder holding the original seed article files")
    frames.add_argument(
        "--output", help="where to write the counts (default: seeds/frame_counts.csv)"
    )
    frames.set_defaults(run=_count_frames)
    grade = sub.add_parser(
        "grade",
        help="autograde every submission of an assignment in parallel, sandboxed (instructors)",
    )
    grade.add_argument("assignment", help="assignment id, e.g. ps01-the-order")
    grade.add_argument("--course", default="assignments", help="nbgrader course root")
    grade.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    grade.add_argument("--student", default="*", help="only students whose id matches this glob")
    grade.add_argument("--force", action="store_true", help="regrade unchanged submissions")
    grade.add_argument("--timeout", type=int, default=None, help="seconds per cell")
    grade.add_argument("--budget", type=float, default=300.0, help="seconds per notebook")
    grade.add_argument(
        "--cluster",
        default=None,
        metavar="local|ADDRESS",
        help="grade on Dask workers: `local` starts one worker process per core (--jobs "
        "overrides), an address such as tcp://host:8786 joins a running scheduler",
    )
    grade.add_argument(
        "--db-url",
        default=None,
        help="gradebook URL (default: the course's CourseDirectory.db_url)",
    )
    grade.set_defaults(run=_grade)
    feedback = sub.add_parser(
        "feedback",
        help="write offline HTML feedback per graded notebook, hidden tests hidden (instructors)",
    )
    feedback.add_argument("assignment", help="assignment id, e.g. ps01-the-order")
    feedback.add_argument("--course", default="assignments", help="nbgrader course root")
    feedback.add_argument("--student", default="*", help="only students whose id matches this glob")
    feedback.set_defaults(run=_feedback)
    report = sub.add_parser(
        "report", help="write grades.csv and an offline HTML grading report (instructors)"
    )
    report.add_argument("assignment", help="assignment id, e.g. ps01-the-order")
    report.add_argument("--course", default="assignments", help="nbgrader course root")
    report.add_argument(
        "--output", default=None, help="folder to write to (default: ROOT/reports/ASSIGNMENT)"
    )
    report.set_defaults(run=_report)
    again = sub.add_parser(
        "regrade",
        help="grade one student again (forced) and rewrite their feedback (instructors)",
    )
    again.add_argument("assignment", help="assignment id, e.g. ps01-the-order")
    again.add_argument("student", help="the student's id, exactly as in submitted/")
    again.add_argument("--course", default="assignments", help="nbgrader course root")
    again.add_argument("--db-url", default=None, help="gradebook URL (default: the course's)")
    again.set_defaults(run=_regrade)
    export = sub.add_parser(
        "export",
        help="write grades as the LMS imports them: Canvas CSV, Moodle worksheet (instructors)",
    )
    export.add_argument("assignment", nargs="+", help="assignment id(s), e.g. ps01-the-order")
    export.add_argument("--format", required=True, choices=["canvas", "moodle", "csv"])
    export.add_argument(
        "--roster",
        default=None,
        help="the LMS's file: Canvas's gradebook export, Moodle's grading worksheet "
        "(optional for csv)",
    )
    export.add_argument(
        "--key",
        default=None,
        help="roster column holding the student id (default: Canvas 'SIS Login ID', "
        "Moodle 'Email address', csv 'student_id')",
    )
    export.add_argument("--course", default="assignments", help="nbgrader course root")
    export.add_argument("--output", default=None, help="file to write (default: ROOT/exports/)")
    export.add_argument("--db-url", default=None, help="gradebook URL (default: the course's)")
    export.set_defaults(run=_export)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ImportError as exc:
        # The student edition leaves the instructor's grading package out.
        if exc.name not in ("course.grading", "course") or "grading" not in str(exc):
            raise
        print(
            f"course {args.command}: an instructor command; course.grading is not part of the "
            "student edition. Run it in the instructor's repository.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
