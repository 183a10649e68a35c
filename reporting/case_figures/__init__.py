"""The figures of cases and electronic supervision (办件与电子监察): counted by ``figures``, stored by ``services``
(daily snapshots, progress-report rows), read by ``selectors`` for the supervisor's page, written into the workbook by
``xlsx``."""
