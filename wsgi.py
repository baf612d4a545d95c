"""What gunicorn serves: gunicorn wsgi:app"""

from eventsite import create_app

app = create_app()
