"""The Telegram channel adapter (python-telegram-bot): the application wiring (``app``), the
resident chat (``resident``), the staff desk's commands, cards and buttons (``staff``, over the
channel-free ``bot.desk``), administrators' commands (``admin``), the sender with its retry and
outbox delivery (``send``, ``deliver``, ``http``), jobs, and the /console login link."""
