"""palermo resolve --input records.csv --output clusters.csv — entity resolution of person records.

Writes `record_id, cluster_id` for every input record. Bad input is reported line by line and
nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from palermo.intel.resolution.pipeline import BackendUnavailable, ResolutionInputError, resolve_file

STEP_LABELS = {"normalise": "normalising names, dates, phones, documents", "train": "training the model",
               "predict": "scoring candidate pairs", "cluster": "clustering", "done": "done"}


class Command(BaseCommand):
    help = "Resolve person records (any script, order or spelling) into clusters of the same person."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="CSV with record_id, source, full_name, given_name, "
                            "family_name, date_of_birth, nationality, phone, email, document_number, gender")
        parser.add_argument("--output", required=True, help="CSV to write: record_id, cluster_id")
        parser.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")

    def handle(self, *args, input, output, backend, **options):
        source = Path(input)
        if not source.is_file():
            raise CommandError(f"--input: no such file {source}")
        if not Path(output).resolve().parent.is_dir():
            raise CommandError(f"--output: the folder of {output} does not exist")
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), transient=False) as bar:
            task = bar.add_task("resolving", total=4)

            def progress(step: str, done: int, total: int) -> None:
                bar.update(task, description=STEP_LABELS.get(step, step), completed=done, total=total)

            try:
                clusters = resolve_file(source, output, progress=progress, backend=backend)
            except ResolutionInputError as exc:
                raise CommandError("the input cannot be resolved:\n  " + "\n  ".join(exc.problems)) from exc
            except BackendUnavailable as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"{clusters} cluster(s) written to {output}")
