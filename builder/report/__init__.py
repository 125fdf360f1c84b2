"""``python -m builder.report FOLDER``: look at a built dataset (see :mod:`builder.app.report_cli`)."""
