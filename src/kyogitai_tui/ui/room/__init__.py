"""The room's screen: ``kyogitai view`` (``app.RoomApp``), a read-only view of
the meeting in progress for the projector and, through ``kyogitai serve``
(``serve.py``), for members' browsers.  What it shows is cut from the 公開用
minutes (``minutes/room.py``); ``source.py`` follows the facilitator's saves
without taking the data folder's lock; ``status.py`` is the small file through
which the live screen learns how many browsers are connected."""
