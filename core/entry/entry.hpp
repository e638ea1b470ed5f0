// core/entry: safe data entry for the chat commands — who may do what (actor.hpp), finding
// customers, products and consultants (lookup.hpp), the customer profile (profile.hpp),
// planning with a preview (plan.hpp), applying and undoing inside the caller's transaction
// (apply.hpp) and previews waiting for 确认 (pending.hpp). See core/entry/README.md.
#pragma once

#include "core/entry/actor.hpp"
#include "core/entry/apply.hpp"
#include "core/entry/input.hpp"
#include "core/entry/lookup.hpp"
#include "core/entry/pending.hpp"
#include "core/entry/plan.hpp"
#include "core/entry/profile.hpp"
#include "core/entry/session_value.hpp"
#include "core/entry/text.hpp"
