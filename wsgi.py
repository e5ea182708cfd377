from reviewflow import create_app

app = create_app()
