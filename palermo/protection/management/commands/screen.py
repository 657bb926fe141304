"""palermo screen --input people.jsonl --output results.jsonl

Screens every person in the input against the ILO/EC 2009 indicators. All or nothing: with any faulty
line the output is not written and every error is listed with its line number.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from palermo.protection.domain.screen_file import ScreenFileError, run_screen_file


class Command(BaseCommand):
    help = "Screen people (JSONL: id, age, exploitation, indicators) and write one result line per person."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path, help="JSONL file, one person per line")
        parser.add_argument("--output", required=True, type=Path, help="JSONL file for the results")

    def handle(self, *args, input: Path, output: Path, **options):
        if not input.is_file():
            raise CommandError(f"{input}: no such file")
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent}: no such directory for the output")
        columns = (TextColumn("screening {task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn())
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task(input.name, total=None)
            try:
                summary = run_screen_file(input, output,
                                          progress=lambda done, total: bar.update(task, completed=done, total=total))
            except ScreenFileError as exc:
                bar.stop()
                for line in exc.errors:
                    self.stderr.write(f"{input}: {line}")
                raise CommandError(f"{len(exc.errors)} error(s) in {input}; {output} was not written") from exc
            except UnicodeDecodeError as exc:
                raise CommandError(f"{input}: not UTF-8 text ({exc.reason})") from exc
        counts = ", ".join(f"{outcome.replace('_', ' ')}: {n}" for outcome, n in sorted(summary.outcomes.items()))
        self.stdout.write(f"screened {summary.people} people into {output}" + (f" ({counts})" if counts else ""))
