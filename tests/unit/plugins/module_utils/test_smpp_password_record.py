"""smpp_password's renewal record (IAM tag): no renewal without it, tracking that starts the count, exact reports."""

from test_smpp_password import RESOURCE, TAG, TAG_PATH
from test_smpp_password_renewal import ACCESS_RULES, DENIED, STAMP, renewals, task
from test_smpp_password_renewal import fixed_time  # pylint: disable=unused-import  # autouse: the same fixed time

TRACK_REASON = "no renewal is recorded; untracked=track starts counting from now without renewing"


def test_an_unreadable_record_stops_the_task_before_any_write_and_names_the_account():
    failed, result, calls, warnings, client = task(max_age_days=30, tag_failures={"GET": [DENIED]})
    assert failed and [request for request in client.requests if request["method"] != "GET"] == []
    assert result == {
        "changed": False,
        "error": {"http_status": 403, "error_class": "NOT_GRANTED_CALL", "message": "This call has not been granted",
                  "query_id": "EU.ext-1.test.403", "method": "GET", "path": RESOURCE},
        "msg": "the SMPP password of smpp-1 was not renewed: its renewal record is needed first, and the IAM tags "
               "could not be read: %s" % ACCESS_RULES}


def test_an_account_without_iam_urn_is_not_renewed_because_nothing_can_be_recorded():
    failed, result, calls, warnings, client = task(urn=None, force=True)
    assert failed and renewals(client) == [] and calls == [("GET", "/sms/smpp-1"), ("GET", "/sms/smpp-1/smpp/settings")]
    assert result == {"changed": False,
                      "msg": "the SMPP password of smpp-1 was not renewed: its renewal time must be recorded first, and "
                             "the account smpp-1 has no IAM URN (iam.urn is empty), so nothing can be recorded on it"}


def test_tracking_records_now_without_renewing():
    failed, result, calls, warnings, client = task(max_age_days=30, untracked="track")
    assert (failed, warnings, renewals(client)) == (False, [], [])
    assert client.tags == {TAG: STAMP}
    assert result == {"changed": True, "rotated": False, "rotated_at": None, "previous_rotated_at": None,
                      "rotation_recorded": True, "untracked": True, "reason": TRACK_REASON,
                      "tracked_since": STAMP,
                      "msg": "The SMPP password of smpp-1 was not renewed; its age is counted from 2026-03-01T12:00:00Z "
                             "(%s)" % TRACK_REASON}


def test_tracking_in_check_mode_only_says_what_it_would_record():
    failed, result, calls, warnings, client = task(max_age_days=30, untracked="track", check_mode=True)
    assert not failed and [request for request in client.requests if request["method"] != "GET"] == []
    assert client.tags == {}
    assert result == {"changed": True, "rotated": False, "rotated_at": None, "previous_rotated_at": None,
                      "rotation_recorded": False, "untracked": True, "reason": TRACK_REASON,
                      "msg": "The renewal time of smpp-1 would be recorded as 2026-03-01T12:00:00Z without renewing "
                             "(%s)" % TRACK_REASON}


def test_tracking_that_cannot_be_recorded_fails_saying_so():
    failed, result, calls, warnings, client = task(max_age_days=30, untracked="track", tag_failures={"POST": [DENIED]})
    assert failed and client.tags == {} and renewals(client) == []
    assert result == {
        "changed": False,
        "error": {"http_status": 403, "error_class": "NOT_GRANTED_CALL", "message": "This call has not been granted",
                  "query_id": "EU.ext-1.test.403", "method": "POST", "path": TAG_PATH},
        "msg": "the renewal time of smpp-1 was not recorded: its renewal time must be recorded first, and the IAM tag "
               "smppops-password-rotated-at could not be written: %s" % ACCESS_RULES}
