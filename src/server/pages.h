// Private to the server module: the HTML pages of the clinic's day. Staff
// pages (the desk, the review queue, a record) and patient pages (the
// kiosk's waiting screen, a visit's packet flow, invite links) are
// rendered by src/html from what these handlers read from the store; the
// changes they lead to go through the JSON API (visits.cc).
#ifndef CONSENTKIT_SERVER_PAGES_H_
#define CONSENTKIT_SERVER_PAGES_H_

#include "server/handlers.h"

namespace consentkit {

// Answers GET /, /staff, /staff/review, /staff/submissions/{id}, /kiosk,
// /visit and /i/{credential}, and returns true; returns false, answering
// nothing, for any other path.
bool RoutePage(Site& site, Exchange& ex);

}  // namespace consentkit

#endif  // CONSENTKIT_SERVER_PAGES_H_
