"""The client portal: a small server-rendered web app (Flask, Jinja2 with autoescaping,
served by waitress) where a client's contacts sign in with an e-mailed link and follow their
requests and orders. A face, like desk.cli: it parses requests and draws pages, and every
rule and write is desk.support.portal's. No page needs JavaScript, and none carries any.

- `app`: the Flask application: a database connection per request, the session cookie,
  CSRF tokens on every form, the security headers;
- `pages`: the routes; `context`: what they share (the settings, database and agent);
- `serve`: `desk portal` serving the app with waitress.
"""
