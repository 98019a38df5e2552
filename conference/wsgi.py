"""The production entry point for a WSGI server: gunicorn ... 'conference.wsgi:app'
(deploy/gunicorn.command). Imported in the worker, so the tuning applies to the process that serves."""
from conference.factory import create_app
from conference.web.serving import raise_open_file_limit, tune_garbage_collector

app = create_app()
if app.extensions.get("first_admin_password"):  # the first start: shown once, in the server's log
    app.logger.warning("first administrator: admin, password (shown once): %s",
                       app.extensions.pop("first_admin_password"))
tune_garbage_collector()
raise_open_file_limit()
