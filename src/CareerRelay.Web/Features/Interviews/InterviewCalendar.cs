using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using CareerRelay.Web.Infrastructure.Mail;

namespace CareerRelay.Web.Features.Interviews;

/// <summary>
/// The 面談 as an iCalendar object (RFC 5546 iTIP, built with Ical.Net): <c>METHOD:REQUEST</c> when a time is chosen (again),
/// <c>METHOD:CANCEL</c> when the agency cancels. The UID is the interview's for its whole life and SEQUENCE rises with each
/// change, so a calendar replaces its entry instead of adding a second one. Times in UTC (no time-zone table to trust).
/// </summary>
public static class InterviewCalendar
{
    public static MailCalendar Build(Interview interview, InterviewSlot slot, string method, string summary, string description,
        string organizerName, string personName, string personEmail, DateTime now, string host)
    {
        var calendar = new Calendar { Method = method, ProductId = "-//CareerRelay//Interviews//JA" };
        var e = new CalendarEvent
        {
            Uid = Uid(interview, host),
            Sequence = interview.Sequence,
            DtStamp = new CalDateTime(now, CalDateTime.UtcTzId, true),
            DtStart = new CalDateTime(slot.StartAt, CalDateTime.UtcTzId, true),
            DtEnd = new CalDateTime(slot.EndAt, CalDateTime.UtcTzId, true),
            Summary = summary,
            Description = description,
            Location = interview.Place,
            Status = method == "CANCEL" ? "CANCELLED" : "CONFIRMED",
            Organizer = new Organizer("mailto:" + interview.OrganizerEmail) { CommonName = organizerName },
        };
        e.Attendees.Add(new Attendee("mailto:" + personEmail) { CommonName = personName, Role = "REQ-PARTICIPANT", ParticipationStatus = "ACCEPTED", Rsvp = false });
        calendar.Events.Add(e);
        return new MailCalendar(method, new CalendarSerializer(calendar).SerializeToString()!);
    }

    /// <summary>Stable for the interview's life, unique worldwide (the id at our host).</summary>
    public static string Uid(Interview interview, string host) => $"interview-{interview.Id}@{host}";
}
