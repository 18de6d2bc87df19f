namespace CareerRelay.Web.Infrastructure.OpenApi;

/// <summary>
/// What /openapi/v1.json says about each operation beyond its shape: a summary, and an example request and answer.
/// A route missing here fails <c>OpenApiDocumentTests</c>, so the reference cannot fall behind the code.
/// </summary>
internal static class ApiCatalog
{
    public sealed record Doc(string Summary, string? Request = null, string? Response = null, string? Description = null);

    private const string Id = "019372a1c0de7f3a9b1e2d4c5f6a7b8c";
    private const string Id2 = "019372a1c0de7f3a9b1e2d4c5f6a7b8d";

    public static readonly IReadOnlyDictionary<string, Doc> Operations = new Dictionary<string, Doc>
    {
        // ---- Operator ------------------------------------------------------------------------------------------
        ["POST /api/v1/admin/companies"] = new("Create a company; answers its first API key (shown once).",
            """{"name":"株式会社サンプル","contactEmail":"jinji@sample.co.jp"}""", $$"""{"id":"{{Id}}","apiKey":"cr_co_6bA1…"}"""),
        ["POST /api/v1/admin/agencies"] = new("Create a licensed agency with every disclosure candidates see before consent (職業安定法); answers its first API key.",
            """{"name":"エージェントA","licenseNumber":"13-ユ-123456","contactEmail":"info@agency.example","occupations":["営業","ITエンジニア"],"fees":"求職者は無料","complaintContact":"03-0000-0000","privacyPolicyUrl":"https://agency.example/privacy","licenseExpiresOn":"2029-03-31"}""",
            $$"""{"id":"{{Id}}","apiKey":"cr_ag_Q2c9…"}"""),
        ["GET /api/v1/admin/holds"] = new("Registrations held by the fraud checks, waiting for a decision.",
            Response: $$"""{"items":[{"id":"{{Id}}","companyId":"{{Id2}}","linkId":"{{Id2}}","reason":"ip_burst","createdAt":"2026-11-20T01:00:00Z","verifiedAt":"2026-11-20T01:05:00Z"}],"nextCursor":null}"""),
        ["POST /api/v1/admin/referrals/{id}/release"] = new("Release a held referral: it qualifies and counts towards the company's next slot.",
            Response: $$"""{"id":"{{Id}}","status":"qualified","holdReason":null}"""),
        ["POST /api/v1/admin/referrals/{id}/reverse"] = new("Reverse a qualified referral with a reason; slot counts are corrected by a ledger entry, never by editing one.",
            """{"reason":"同一人物の重複登録"}""", $$"""{"id":"{{Id}}","status":"reversed","holdReason":null}"""),
        ["PUT /api/v1/admin/notice"] = new("Publish a new version of the consent notice (ja and en).",
            """{"textJa":"ご登録にあたり…","textEn":"Before you register…"}""", """{"version":2}"""),
        ["GET /api/v1/admin/ledger/verify"] = new("Recompute every balance and count from the ledger entries.",
            Response: """{"ok":true,"accounts":42,"mismatches":[]}"""),
        ["GET /api/v1/admin/audit"] = new("Who read a candidate's data, between two times (?candidateId=&from=&to=).",
            Response: $$"""{"items":[{"id":"{{Id2}}","actorType":"agency","actorId":"{{Id2}}","action":"candidate.read","candidateId":"{{Id}}","createdAt":"2026-11-20T02:00:00Z"}],"nextCursor":null}"""),
        ["GET /api/v1/admin/provisions"] = new("Provision records (APPI 29/30: who gave which items to whom, on what basis) of a period (?from=&to=).",
            Response: $$"""{"items":[{"id":"{{Id}}","candidateId":"{{Id2}}","recipientType":"agency","recipientId":"{{Id2}}","recipientName":"エージェントA","items":["name","email","phone"],"basis":"consent","createdAt":"2026-11-20T02:00:00Z"}],"nextCursor":null}"""),
        // ---- Company ----------------------------------------------------------------------------------------------
        ["GET /api/v1/company/partner-agencies"] = new("The agencies this company relays to (none chosen: every active agency).",
            Response: $$"""{"agencyIds":["{{Id}}"],"agencies":[{"id":"{{Id}}","name":"エージェントA","licenseNumber":"13-ユ-123456","active":true}]}"""),
        ["PUT /api/v1/company/partner-agencies"] = new("Replace the partner agencies; an empty list means every active agency.",
            $$"""{"agencyIds":["{{Id}}"]}""", $$"""{"agencyIds":["{{Id}}"],"agencies":[{"id":"{{Id}}","name":"エージェントA","licenseNumber":"13-ユ-123456","active":true}]}"""),
        ["GET /api/v1/company/summary"] = new("The loop in numbers: invitations, clicks, registrations, qualified referrals, slots, placements. Aggregates only.",
            Response: """{"invitationsSent":120,"clicks":64,"registrations":23,"verified":21,"held":1,"qualifiedReferrals":20,"referralsPerSlot":10,"progressToNextSlot":0,"slotsEarned":2,"slotsRedeemed":1,"slotsAvailable":1,"slotsOwed":0,"placements":3}"""),
        ["GET /api/v1/company/loop"] = new("The loop in numbers: referred applications in, hires from them, rejections relayed, relayed people placed elsewhere, re-applications.",
            Response: """{"referralsIn":12,"referralHires":2,"rejectionsRelayed":240,"placedElsewhere":5,"reapplications":3}"""),
        ["POST /api/v1/company/links"] = new("Create a relay link (専用リンク) to paste into rejection emails.",
            """{"label":"2027 新卒"}""", $$"""{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/r/Xk3v9QpL0aZ2","label":"2027 新卒"}"""),
        ["GET /api/v1/company/links"] = new("The company's links with their clicks, registrations and qualified referrals.",
            Response: $$"""{"items":[{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/r/Xk3v9QpL0aZ2","label":"2027 新卒","clicks":64,"registrations":23,"qualifiedReferrals":20,"paused":false}],"nextCursor":null}"""),
        ["POST /api/v1/company/links/{id}/pause"] = new("Pause a link: its landing page says so and takes no registrations.",
            Response: $$"""{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/r/Xk3v9QpL0aZ2","label":"2027 新卒","clicks":64,"registrations":23,"qualifiedReferrals":20,"paused":true}"""),
        ["POST /api/v1/company/links/{id}/resume"] = new("Resume a paused link.",
            Response: $$"""{"id":"{{Id}}","token":"Xk3v9QpL0aZ2","url":"https://relay.example/r/Xk3v9QpL0aZ2","label":"2027 新卒","clicks":64,"registrations":23,"qualifiedReferrals":20,"paused":false}"""),
        ["GET /api/v1/company/links/{id}/email-template"] = new("The rejection email (お祈りメール) with this link inserted (?lang=ja|en, ?tone=standard|warm|graduate, ?syntax=plain|mustache|percent).",
            Response: """{"subject":"選考結果のご連絡","body":"ご応募者様\n\nこの度は…\nhttps://relay.example/r/Xk3v9QpL0aZ2\n…"}"""),
        ["POST /api/v1/company/invitations"] = new("Mint single-use personal invitations under a link: a count, or one per external reference (the ATS application id). Tokens are shown once.",
            $$"""{"linkId":"{{Id}}","externalRefs":["app-1001","app-1002"]}""",
            """{"invitations":[{"externalRef":"app-1001","token":"inv_b7Q…","url":"https://relay.example/r/inv_b7Q…"},{"externalRef":"app-1002","token":"inv_9Zk…","url":"https://relay.example/r/inv_9Zk…"}]}"""),
        ["GET /api/v1/company/ledger"] = new("The slot balance and every ledger entry (append-only).",
            Response: $$"""{"balance":1,"entries":[{"id":"{{Id}}","type":"slot_earned","amount":1,"createdAt":"2026-11-20T03:00:00Z","reference":"referrals:10"}]}"""),
        ["POST /api/v1/company/jobs"] = new("Post a job (title, description, JIS prefecture code, skills, employment type, 職業分類 code, salary in yen per year).",
            """{"title":"法人営業","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業","提案"],"employmentType":"full_time","occupationCode":"035","salaryMin":4500000,"salaryMax":6500000,"preferredSkills":["英語"],"remoteAllowed":true,"yearsRequired":2}""",
            $$"""{"id":"{{Id}}","title":"法人営業","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業","提案"],"employmentType":"full_time","occupationCode":"035","salaryMin":4500000,"salaryMax":6500000,"status":"open","createdAt":"2026-11-20T03:00:00Z","preferredSkills":["英語"],"remoteAllowed":true,"yearsRequired":2}"""),
        ["GET /api/v1/company/jobs"] = new("The company's jobs.",
            Response: $$"""{"items":[{"id":"{{Id}}","title":"法人営業","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業"],"employmentType":"full_time","occupationCode":"035","salaryMin":4500000,"salaryMax":6500000,"status":"open","createdAt":"2026-11-20T03:00:00Z","preferredSkills":[],"remoteAllowed":false,"yearsRequired":null}],"nextCursor":null}"""),
        ["PUT /api/v1/company/jobs/{id}"] = new("Edit a job (same body and rules as posting one).",
            """{"title":"法人営業（リーダー）","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業"],"employmentType":"full_time"}""",
            $$"""{"id":"{{Id}}","title":"法人営業（リーダー）","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業"],"employmentType":"full_time","occupationCode":null,"salaryMin":null,"salaryMax":null,"status":"open","createdAt":"2026-11-20T03:00:00Z","preferredSkills":[],"remoteAllowed":false,"yearsRequired":null}"""),
        ["POST /api/v1/company/jobs/{id}/close"] = new("Close a job.",
            Response: $$"""{"id":"{{Id}}","title":"法人営業","description":"…","prefecture":"13","skills":[],"employmentType":"full_time","occupationCode":null,"salaryMin":null,"salaryMax":null,"status":"closed","createdAt":"2026-11-20T03:00:00Z","preferredSkills":[],"remoteAllowed":false,"yearsRequired":null}"""),
        ["POST /api/v1/company/redemptions"] = new("Spend a free hire slot on a job; 409 insufficient_slots without one.",
            $$"""{"jobId":"{{Id}}"}""", $$"""{"id":"{{Id2}}","jobId":"{{Id}}","status":"open","createdAt":"2026-11-20T03:00:00Z"}"""),
        ["GET /api/v1/company/redemptions"] = new("The company's redemptions with their status (open, cancelled, fulfilled).",
            Response: $$"""{"items":[{"id":"{{Id2}}","jobId":"{{Id}}","status":"open","createdAt":"2026-11-20T03:00:00Z"}],"nextCursor":null}"""),
        ["POST /api/v1/company/redemptions/{id}/cancel"] = new("Cancel an open redemption: the slot returns to the balance.",
            Response: $$"""{"id":"{{Id2}}","jobId":"{{Id}}","status":"cancelled","createdAt":"2026-11-20T03:00:00Z"}"""),

        // ---- Company ATS ---------------------------------------------------------------------------------------------
        ["POST /api/v1/company/ats/events"] = new("A rejection event from the ATS: answers the personal invitation URL and, with candidate.email, schedules the company's rejection mail (委託). Withdrawals, candidate_withdrew and source agency get none; unrejected cancels a mail not yet sent; the same eventId answers the same.",
            """{"eventId":"evt-20261120-0001","type":"rejected","applicationId":"app-1001","outcome":"company_rejected","source":"direct","jobTitle":"法人営業","occurredAt":"2026-11-20T06:00:00Z","sendAt":"2026-11-24T01:00:00Z","lang":"ja","candidate":{"name":"佐藤 花子","email":"hanako@example.jp"}}""",
            """{"invitationUrl":"https://relay.example/r/inv_b7Q…","mail":"scheduled","cancelledMails":0}"""),
        ["POST /api/v1/company/ats/connections"] = new("Connect Greenhouse or Lever: answers the URL to register there and the secret that signs its webhooks (shown once). For Lever, pass Lever's signature token as secret, or set it later with PUT.",
            """{"system":"greenhouse"}""", $$"""{"id":"{{Id}}","system":"greenhouse","secret":"q1W2e3R4t5Y6u7I8o9P0…","url":"https://relay.example/api/v1/company/ats/greenhouse/{{Id}}"}"""),
        ["GET /api/v1/company/ats/connections"] = new("The company's ATS connections (secrets are never shown again).",
            Response: $$"""{"items":[{"id":"{{Id}}","system":"greenhouse","url":"https://relay.example/api/v1/company/ats/greenhouse/{{Id}}","createdAt":"2026-11-20T03:00:00Z","revokedAt":null}],"nextCursor":null}"""),
        ["PUT /api/v1/company/ats/connections/{id}"] = new("Set the connection's secret to the ATS's own (Lever shows its signature token after the webhook exists there).",
            """{"secret":"7d1f0c2a9b8e4f6a1c3d5e7f9a0b2c4d"}""", $$"""{"id":"{{Id}}","system":"lever","url":"https://relay.example/api/v1/company/ats/lever/{{Id}}","createdAt":"2026-11-20T03:00:00Z","revokedAt":null}"""),
        ["POST /api/v1/company/ats/connections/{id}/revoke"] = new("Disconnect: webhooks to the connection's URL are refused from now on.",
            Response: $$"""{"id":"{{Id}}","system":"greenhouse","url":"https://relay.example/api/v1/company/ats/greenhouse/{{Id}}","createdAt":"2026-11-20T03:00:00Z","revokedAt":"2026-11-21T03:00:00Z"}"""),
        ["POST /api/v1/company/ats/greenhouse/{id}"] = new("Greenhouse's own webhook (reject_candidate, unreject_candidate), checked by its Signature header (sha256 HMAC of the body with the connection's secret). No API key.",
            """{"action":"reject_candidate","payload":{"application":{"id":265277,"rejected_at":"2026-11-20T06:00:00Z","rejection_reason":{"name":"Lacking skill(s)","type":{"name":"We rejected them"}},"source":{"public_name":"LinkedIn"},"jobs":[{"name":"経理マネージャー"}],"candidate":{"first_name":"花子","last_name":"佐藤","email_addresses":[{"value":"hanako@example.jp","type":"personal"}]}}}}""",
            """{"invitationUrl":"https://relay.example/r/inv_b7Q…","mail":"scheduled","cancelledMails":0}"""),
        ["POST /api/v1/company/ats/lever/{id}"] = new("Lever's own webhook (candidateArchiveChange), checked by its signature (HMAC of token + triggeredAt with the connection's secret). Lever sends ids only: answers the invitation URL for the company's Lever template; no mail. No API key.",
            """{"triggeredAt":1795490400000,"event":"candidateArchiveChange","signature":"5a0c…","token":"3f9b…","data":{"candidateId":"f4a4…","opportunityId":"f4a4…","fromArchived":null,"toArchived":{"archivedAt":1795490399000,"reason":"63dd…"}}}""",
            """{"invitationUrl":"https://relay.example/r/inv_9Zk…","mail":"none","cancelledMails":0}"""),
        ["GET /api/v1/company/ats/mails"] = new("The entrusted rejection mails and how they ended (scheduled, sent, bounced, failed, cancelled); never the address.",
            Response: $$"""{"items":[{"id":"{{Id}}","applicationId":"app-1001","source":"api","status":"sent","lang":"ja","sendAt":"2026-11-24T01:00:00Z","createdAt":"2026-11-21T03:00:00Z"}],"nextCursor":null}"""),
        ["GET /api/v1/company/ats/settings"] = new("How entrusted mail is sent: tone, the link its invitations belong to, when (now or next_weekday_10 JST), sender name.",
            Response: """{"tone":"standard","linkId":null,"sendTime":"next_weekday_10","senderName":"株式会社サンプル 採用担当"}"""),
        ["PUT /api/v1/company/ats/settings"] = new("Change how entrusted mail is sent.",
            """{"tone":"warm","linkId":null,"sendTime":"next_weekday_10","senderName":"株式会社サンプル 採用担当"}""",
            """{"tone":"warm","linkId":null,"sendTime":"next_weekday_10","senderName":"株式会社サンプル 採用担当"}"""),
        ["POST /api/v1/company/ats/imports"] = new("Import a CSV of rejected applicants (UTF-8 or Shift_JIS; Japanese or English headers) as text/csv or a form's file field. ?dryRun=true previews; otherwise the valid rows are taken, each idempotently, and the broken ones listed. ?encoding=auto|utf-8|shift_jis, ?lang=ja|en, ?sendAt=.",
            "応募ID,氏名,メールアドレス,応募職種,選考結果,不合格日\r\nA-001,山田 太郎,taro@example.jp,営業,不合格,2026/11/20\r\n",
            """{"dryRun":true,"encoding":"utf-8","columns":{"applicationId":"応募ID","name":"氏名","email":"メールアドレス","jobTitle":"応募職種","result":"選考結果","rejectedOn":"不合格日"},"rows":1,"invitations":1,"mails":1,"noInvitation":0,"skipped":0,"errors":0,"alreadyImported":0,"items":[{"line":2,"applicationId":"A-001","jobTitle":"営業","status":"invite","messages":[],"invitationUrl":null,"mail":"scheduled"}]}"""),

        // ---- Webhooks and keys (company and agency alike) --------------------------------------------------------------
        ["POST /api/v1/company/webhooks"] = Webhook("referral.qualified"),
        ["POST /api/v1/agency/webhooks"] = Webhook("candidate.consented"),
        ["GET /api/v1/company/webhooks"] = Webhooks("referral.qualified"),
        ["GET /api/v1/agency/webhooks"] = Webhooks("candidate.consented"),
        ["GET /api/v1/company/webhooks/{id}/deliveries"] = Deliveries,
        ["GET /api/v1/agency/webhooks/{id}/deliveries"] = Deliveries,
        ["POST /api/v1/company/webhooks/{id}/test"] = TestSend,
        ["POST /api/v1/agency/webhooks/{id}/test"] = TestSend,
        ["POST /api/v1/company/webhooks/{id}/deliveries/{deliveryId}/redeliver"] = Redeliver,
        ["POST /api/v1/agency/webhooks/{id}/deliveries/{deliveryId}/redeliver"] = Redeliver,
        ["POST /api/v1/company/webhooks/{id}/enable"] = Enable,
        ["POST /api/v1/agency/webhooks/{id}/enable"] = Enable,
        ["GET /api/v1/company/keys"] = KeyList("cr_co_6bA1"),
        ["GET /api/v1/agency/keys"] = KeyList("cr_ag_Q2c9"),
        ["POST /api/v1/company/keys"] = KeyCreate("cr_co_"),
        ["POST /api/v1/agency/keys"] = KeyCreate("cr_ag_"),
        ["POST /api/v1/company/keys/{id}/revoke"] = KeyRevoke,
        ["POST /api/v1/agency/keys/{id}/revoke"] = KeyRevoke,
        ["POST /api/v1/company/keys/{id}/rotate"] = KeyRotate("cr_co_"),
        ["POST /api/v1/agency/keys/{id}/rotate"] = KeyRotate("cr_ag_"),

        // ---- Agency ------------------------------------------------------------------------------------------------------
        ["GET /api/v1/agency/candidates"] = new("Candidates with an active consent to this agency (a read of personal data: audited).",
            Response: $$"""{"items":[{"id":"{{Id}}","name":"佐藤 花子","email":"hanako@example.jp","phone":"090-0000-0000","prefecture":"13","skills":["経理"],"stage":"new","registeredAt":"2026-11-20T03:00:00Z"}],"nextCursor":null}"""),
        ["GET /api/v1/agency/candidates/{id}"] = new("One consenting candidate's full profile and pipeline history (audited).",
            Response: $$"""{"id":"{{Id}}","profile":{"name":"佐藤 花子","email":"hanako@example.jp","nameKana":"サトウ ハナコ","phone":"090-0000-0000","prefecture":"13","desiredOccupation":"経理","skills":["経理","簿記2級"],"workHistory":[],"careerSummary":null,"jobSearchStatus":null,"excludedCompanies":[],"yearsOfExperience":5,"desiredSalary":5000000,"willingToRelocate":false,"desiredOccupationCodes":["027"]},"stage":"contacted","registeredAt":"2026-11-20T03:00:00Z","firstContactedAt":"2026-11-20T04:00:00Z","history":[{"id":"{{Id2}}","type":"contacted","note":null,"jobId":null,"actorId":"{{Id2}}","createdAt":"2026-11-20T04:00:00Z"}],"introductions":[],"placements":[],"hasResume":false}"""),
        ["POST /api/v1/agency/candidates/{id}/events"] = new("Record a step of the pipeline: contacted, interviewed, introduced, offered, placed or closed.",
            """{"type":"contacted","note":"初回面談を設定","jobId":null}""", $$"""{"id":"{{Id2}}","candidateId":"{{Id}}","type":"contacted","note":"初回面談を設定","jobId":null,"createdAt":"2026-11-20T04:00:00Z"}"""),
        ["POST /api/v1/agency/candidates/{id}/introductions"] = new("Introduce the candidate to a partner company's job; the company sees them only after the candidate agrees on /me.",
            $$"""{"jobId":"{{Id2}}"}""", $$"""{"id":"{{Id}}","candidateId":"{{Id}}","jobId":"{{Id2}}","status":"awaiting_consent","createdAt":"2026-11-20T04:00:00Z"}"""),
        ["POST /api/v1/agency/placements"] = new("Record a placement (201); the same placement again answers 200 with the same id.",
            $$"""{"candidateId":"{{Id}}","jobId":"{{Id2}}","startDate":"2027-04-01","redemptionId":null}""", $$"""{"id":"{{Id2}}","jobId":"{{Id}}","hiringCompanyName":null,"startDate":"2027-04-01","feeWaived":false}"""),
        ["GET /api/v1/agency/jobs"] = new("Open jobs of the agency's partner companies.",
            Response: $$"""{"items":[{"id":"{{Id}}","companyId":"{{Id2}}","companyName":"株式会社サンプル","title":"法人営業","description":"SaaS の新規開拓","prefecture":"13","skills":["法人営業"],"employmentType":"full_time","salaryMin":4500000,"salaryMax":6500000,"createdAt":"2026-11-20T03:00:00Z","occupationCode":"035","preferredSkills":[],"remoteAllowed":false,"yearsRequired":null}],"nextCursor":null}"""),
        ["GET /api/v1/agency/jobs/{id}/matches"] = new("This agency's consenting candidates ranked for a job, best first, each with the reasons in the request's language (?limit=1–100, ?lang=ja|en).",
            Response: $$"""{"items":[{"candidateId":"{{Id}}","score":82.5,"reasons":["必須スキル 2/2 に一致（法人営業、提案）","希望職種が同じ職業分類（035）"]}]}"""),
        ["GET /api/v1/agency/redemptions"] = new("Open free-hire-slot redemptions this agency may fulfil.",
            Response: $$"""{"items":[{"id":"{{Id2}}","jobId":"{{Id}}","jobTitle":"法人営業","companyName":"株式会社サンプル","status":"open","acceptedByYou":false,"createdAt":"2026-11-20T03:00:00Z"}],"nextCursor":null}"""),
        ["POST /api/v1/agency/redemptions/{id}/accept"] = new("Take on an open redemption (the agency will look for the hire).",
            Response: $$"""{"id":"{{Id2}}","jobId":"{{Id}}","jobTitle":"法人営業","companyName":"株式会社サンプル","status":"open","acceptedByYou":true,"createdAt":"2026-11-20T03:00:00Z"}"""),
        // ---- Public (candidates; no key) -------------------------------------------------------------------------------------
        ["GET /api/v1/public/links/{token}"] = new("What the landing page shows before consent: the company, the notice, and each agency's disclosures.",
            Response: $$"""{"company":{"name":"株式会社サンプル"},"notice":{"version":1,"text":"ご登録にあたり…"},"agencies":[{"id":"{{Id}}","name":"エージェントA","licenseNumber":"13-ユ-123456","occupations":["営業"],"fees":"求職者は無料","complaintContact":"03-0000-0000","privacyPolicyUrl":"https://agency.example/privacy"}]}"""),
        ["POST /api/v1/public/registrations"] = new("Register with consent to the named agencies; mails a verification link.",
            $$$"""{"token":"Xk3v9QpL0aZ2","name":"佐藤 花子","email":"hanako@example.jp","nameKana":"サトウ ハナコ","phone":"090-0000-0000","prefecture":"13","desiredOccupation":"経理","skills":["経理","簿記2級"],"consent":{"noticeVersion":1,"agencyIds":["{{{Id}}}"]}}""",
            $$"""{"registrationId":"{{Id}}","status":"pending_verification"}"""),
        ["POST /api/v1/public/verifications"] = new("Confirm the address with the mailed code (again: 200, no change).",
            """{"code":"vQ8…"}""", """{"status":"verified"}"""),
        ["POST /api/v1/public/me/link"] = new("Mail a sign-in link for the candidate's own page; always 202, whether or not the address is known.",
            """{"email":"hanako@example.jp"}""", """{"status":"accepted"}"""),
        ["POST /api/v1/public/me/export"] = new("Everything held about the candidate: profile, registrations, consents, provision records, who read it.",
            """{"token":"me_4Hc…"}""", $$"""{"exportedAt":"2026-11-21T03:00:00Z","candidate":{"id":"{{Id}}","profile":{"name":"佐藤 花子","email":"hanako@example.jp","skills":["経理"]},"recommendationMails":false,"createdAt":"2026-11-20T03:00:00Z","updatedAt":"2026-11-20T03:00:00Z"},"resume":null,"registrations":[],"consents":[],"provisionRecords":[],"accessLog":[]}"""),
        ["POST /api/v1/public/me/consents/withdraw"] = new("Withdraw consent to one agency.",
            $$"""{"token":"me_4Hc…","agencyId":"{{Id}}"}""", $$"""{"agencyId":"{{Id}}","status":"withdrawn"}"""),
        ["POST /api/v1/public/me/erase"] = new("Erase the candidate: personal data becomes unreadable everywhere (crypto-shredding); counts and the ledger stay.",
            """{"token":"me_4Hc…"}""", """{"status":"erased"}"""),
    };

    private static Doc Webhook(string ev) => new("Register a webhook endpoint (Standard Webhooks); answers the signing secret once. Link-local and cloud metadata addresses are refused; loopback and private ones unless Webhooks:AllowPrivateNetworks.",
        $$"""{"url":"https://hooks.example.co.jp/careerrelay","events":["{{ev}}"]}""", $$"""{"id":"{{Id}}","url":"https://hooks.example.co.jp/careerrelay","events":["{{ev}}"],"secret":"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}""");
    private static Doc Webhooks(string ev) => new("The registered webhook endpoints (disabledAt is set after sustained failure).",
        Response: $$"""{"items":[{"id":"{{Id}}","url":"https://hooks.example.co.jp/careerrelay","events":["{{ev}}"],"createdAt":"2026-11-20T03:00:00Z","disabledAt":null}],"nextCursor":null}""");
    private static Doc Deliveries => new("The delivery log of one endpoint: the latest 100 deliveries with attempts and response codes.",
        Response: $$"""{"items":[{"id":"{{Id2}}","eventId":"msg_{{Id}}","type":"webhook.test","status":"succeeded","attempts":1,"lastStatusCode":200,"lastError":null,"createdAt":"2026-11-20T03:00:00Z","deliveredAt":"2026-11-20T03:00:01Z"}],"nextCursor":null}""");
    private static Doc TestSend => new("Send a webhook.test event to the endpoint now, whatever it subscribed to.",
        Response: $$"""{"id":"{{Id2}}","eventId":"msg_{{Id}}","type":"webhook.test","status":"pending","attempts":0,"lastStatusCode":null,"lastError":null,"createdAt":"2026-11-20T03:00:00Z","deliveredAt":null}""");
    private static Doc Redeliver => new("Send a logged event again, as a new delivery with the same webhook-id (receivers can drop the duplicate).",
        Response: $$"""{"id":"{{Id}}","eventId":"msg_{{Id2}}","type":"referral.qualified","status":"pending","attempts":0,"lastStatusCode":null,"lastError":null,"createdAt":"2026-11-21T03:00:00Z","deliveredAt":null}""");
    private static Doc Enable => new("Resume an endpoint that was disabled after sustained failure.",
        Response: $$"""{"id":"{{Id}}","url":"https://hooks.example.co.jp/careerrelay","events":["referral.qualified"],"createdAt":"2026-11-20T03:00:00Z","disabledAt":null}""");
    private static Doc KeyList(string prefix) => new("The tenant's API keys: name, visible prefix, scope, last use, revocation and rotation; never the key.",
        Response: $$"""{"items":[{"id":"{{Id}}","name":"HRMOS 連携","prefix":"{{prefix}}","scope":"write","createdAt":"2026-11-20T03:00:00Z","lastUsedAt":"2026-11-21T02:59:00Z","revokedAt":null,"expiresAt":null}],"nextCursor":null}""");
    private static Doc KeyCreate(string prefix) => new("Create an API key, read (GET only) or write; answered once.",
        """{"name":"BI ダッシュボード","scope":"read"}""", $$"""{"id":"{{Id}}","name":"BI ダッシュボード","prefix":"{{prefix}}Zq1","scope":"read","apiKey":"{{prefix}}Zq1x…","createdAt":"2026-11-21T03:00:00Z"}""");
    private static Doc KeyRevoke => new("Revoke a key: it stops working at once.",
        Response: $$"""{"id":"{{Id}}","name":"HRMOS 連携","prefix":"cr_co_6bA1","scope":"write","createdAt":"2026-11-20T03:00:00Z","lastUsedAt":null,"revokedAt":"2026-11-21T03:00:00Z","expiresAt":null}""");
    private static Doc KeyRotate(string prefix) => new("Rotate a key: a successor with the same name and scope (answered once); the old key works for graceHours more (default 24, 0–168).",
        """{"graceHours":24}""", $$"""{"id":"{{Id2}}","name":"HRMOS 連携","prefix":"{{prefix}}Pw7","scope":"write","apiKey":"{{prefix}}Pw7c…","createdAt":"2026-11-21T03:00:00Z"}""");
}
