//! Scheduling time rules, with no I/O: IANA zones and wall-clock times ([`resolve`],
//! [`to_local`]), recurrence rules ([`Recurrence`]), weekly posting slots ([`WeeklySlots`]) and
//! the iCalendar feed ([`render_calendar`]).
//!
//! Architecture invariant 5 holds throughout: instants are UTC [`Timestamp`](crate::Timestamp)s,
//! whatever a user schedules carries its IANA zone, and recurrences and slots are computed as
//! wall-clock times in that zone, so they keep their local time across DST changes.

mod ical;
mod recurrence;
mod rrule;
mod slots;
mod zoned;

pub use ical::{CalendarEvent, render_calendar};
pub use recurrence::{Recurrence, variation_for};
pub use rrule::RecurrenceError;
pub use slots::{InvalidSlots, WeeklySlots};
pub use zoned::{
    Adjustment, InvalidLocalDateTime, LocalDateTime, Resolved, TimeZoneName, UnknownTimeZone, resolve, to_local,
};
