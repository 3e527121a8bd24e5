"""Cookie sessions the way a server-rendered admin keeps them (PHP's PHPSESSID, Java's JSESSIONID).

Shared by the replicas whose rules are the same: an anonymous visitor gets a session at once (the
login form's captcha lives in it); a logged-in session dies after `session_lifetime_s` of idleness,
or at once under the `session_expired` fault once it has served `after_requests` requests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from starlette.requests import Request

from replicas.common.site import ReplicaEnv


class CookieSession(Protocol):
    sid: str
    user: str | None
    last_seen: datetime
    requests: int


S = TypeVar("S", bound=CookieSession)


class CookieSessionSite(Generic[S]):
    """A mixin for a replica's state: it provides `env` and `sessions`, and says how to make one."""

    cookie: ClassVar[str]
    env: ReplicaEnv
    sessions: dict[str, S]

    def make_session(self, now: datetime, user: str | None) -> S:
        raise NotImplementedError

    def fault(self, name: str) -> bool:
        return self.env.scenario.has(name)

    def arg(self, fault: str, name: str, default: Any = None) -> Any:
        return self.env.scenario.arg(fault, name, default)

    def visitor(self, request: Request) -> tuple[S, bool]:
        """The request's session, or a fresh anonymous one (True: set the cookie)."""
        found = self.sessions.get(request.cookies.get(self.cookie, ""))
        if found is not None and not self._idle_too_long(found):
            return found, False
        return self._new(), True

    def user(self, request: Request) -> S | None:
        """The logged-in session of this request, counting it; None when expired or anonymous."""
        session = self.sessions.get(request.cookies.get(self.cookie, ""))
        if session is None or session.user is None or self._idle_too_long(session):
            return None
        if self.fault("session_expired") and session.requests >= int(
            self.arg("session_expired", "after_requests", 0)
        ):
            del self.sessions[session.sid]
            return None
        session.requests += 1
        session.last_seen = self.env.clock.now()
        return session

    def _idle_too_long(self, session: S) -> bool:
        idle = (self.env.clock.now() - session.last_seen).total_seconds()
        if idle <= self.env.scenario.session_lifetime_s:
            return False
        self.sessions.pop(session.sid, None)
        return True

    def _new(self, user: str | None = None) -> S:
        session = self.make_session(self.env.clock.now(), user)
        self.sessions[session.sid] = session
        return session
