"""Office noticeboards: the kiosk screen, the JSON it polls, its QR codes."""

from noticeboard.web.board.kiosk import bp

__all__ = ["bp"]
