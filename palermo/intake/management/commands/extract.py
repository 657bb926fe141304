"""palermo extract --input tips.jsonl --output out.jsonl

Finds phones, e-mails, handles, URLs and trafficking indicators in every tip. All or nothing: with any
bad line nothing is written and every problem is listed with its line number.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from palermo.intake.extraction import ExtractionInputError, run_extract_file


class Command(BaseCommand):
    help = "Extract selectors and indicators from tips (JSONL: id, text, country) into one result line per tip."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path, help="JSONL file, one tip per line")
        parser.add_argument("--output", required=True, type=Path, help="JSONL file for the results")

    def handle(self, *args, input: Path, output: Path, **options):
        if not input.is_file():
            raise CommandError(f"{input}: no such file")
        columns = (TextColumn("extracting {task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn())
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task(input.name, total=None)
            try:
                summary = run_extract_file(input, output,
                                           progress=lambda done, total: bar.update(task, completed=done, total=total))
            except ExtractionInputError as exc:
                bar.stop()
                for number, reason in exc.problems:
                    self.stderr.write(f"{input}: line {number}: {reason}")
                raise CommandError(f"{len(exc.problems)} bad line(s) in {input}; {output} was not written") from exc
            except UnicodeDecodeError as exc:
                raise CommandError(f"{input}: not UTF-8 text ({exc.reason})") from exc
        rate = summary.tips / summary.seconds if summary.seconds else 0
        self.stdout.write(f"extracted {summary.tips} tips into {output}: {summary.selectors} selectors, "
                          f"{summary.indicators} indicator hits ({rate:.0f} tips/s)")
