# Teaches Schemathesis the one string format of Baton's API document that JSON Schema has no
# generator for: `iana-time-zone` (service hours), an IANA name the server's Intl knows. The
# test passes the server runtime's own list, so every generated zone is one the server takes.
import json
import os

import schemathesis
from hypothesis import strategies as st

schemathesis.openapi.format(
    os.environ["BATON_TIME_ZONE_FORMAT"],
    st.sampled_from(json.loads(os.environ["BATON_TIME_ZONES"])),
)
