gunicorn --worker-class conference.gunicorn_worker.TimedThreadWorker --workers 1 --threads 100 --no-control-socket --timeout 30 --keep-alive 5 --bind 0.0.0.0:$PORT conference.wsgi:app
