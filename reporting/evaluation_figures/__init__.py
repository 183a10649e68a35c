"""The 好差评 and hall figures (好差评与大厅): counted live by ``figures``, shown by ``views``, exported in the national
exchange shape by ``export``, frozen into the progress report by ``report``."""
