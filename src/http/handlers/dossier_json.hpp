// The dossier answers of the API as JSON text: the full document, the rows of
// a list, the detail with steps, history and files, the counts of a list, a
// row of a leader's watch, a rating and the public lookup's answer. Written
// with JsonWriter, not built as boost::json values: they are the answers of
// the frequent requests (common/json_writer.hpp). The field names are the
// API's (docs/api.md, api/openapi.json); times are calendar::FormatMoment.
//
// Also the wrapping that every dossier answer gets (Private: it may carry
// personal data) and the rating body that both rating routes read.
//
// Everything here is pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/json_writer.hpp"
#include "http/json_body.hpp"
#include "http/message.hpp"
#include "services/dossiers/dossier_service.hpp"

namespace motcua::http::dossier_json {

// `key`: the moment as calendar::FormatMoment writes it, or null.
void Moment(JsonWriter& w, std::string_view key, const std::optional<TimePoint>& t);

// The members of a dossier's document, inside an object the caller opened.
void ViewFields(JsonWriter& w, const dossiers::DossierView& v);
// {ViewFields}: the answer of an action or an apology.
std::string ViewBody(const dossiers::DossierView& v);

// A row of a list (inbox, my dossiers, a leader's watch), inside an object
// the caller opened: what a screen of rows shows, so that a page of twenty
// stays a few kilobytes on a slow line.
void SummaryFields(JsonWriter& w, const dossiers::DossierView& v);
// {SummaryFields}.
void Summary(JsonWriter& w, const dossiers::DossierView& v);

// "counts": {total, overdue, nearing, waiting_for_citizen} of a list.
void Counts(JsonWriter& w, const dossiers::InboxCounts& c);
// A row of a leader's watch: the summary and the step in hand (or null).
void WatchRow(JsonWriter& w, const dossiers::WatchItem& item);

// {level, comment, rated_at}.
void RatingObject(JsonWriter& w, const dossiers::Rating& g);
// GET /api/v1/dossiers/{id}: the document with its steps, history, rating,
// forms and files.
std::string DetailBody(const dossiers::DossierDetail& d);
// GET /api/v1/lookup: what anyone holding the receipt may see.
std::string LookupBody(const dossiers::LookupResult& found);

// The response with Cache-Control: private, no-store.
Response Private(Response res);
// The error's response (http/message.hpp), private.
Response Err(const Error& e);
// 201 with the rating, or the error; private.
Response RatingResponse(const Result<dossiers::Rating>& g);

// {level, comment?} of a rating, from an object the caller parsed; problems
// are left in `r` for its Finish().
dossiers::RateRequest ReadRating(ObjectReader& r);

}  // namespace motcua::http::dossier_json
