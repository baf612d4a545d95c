"""What gunicorn serves: gunicorn wsgi:app"""

from eventsite import create_app
from eventsite.geo import warm_zip_data

app = create_app()
# Load the zip table now, so no searcher waits for it (and forked workers share it).
warm_zip_data()
