gunicorn --worker-class gthread --workers 1 --threads 100 --no-control-socket --timeout 0 --bind 0.0.0.0:$PORT conference.wsgi:app
