// Verifies one received webhook with the standardwebhooks package (an implementation independent of ours).
// stdin: {"secret": "whsec_...", "headers": {"webhook-id": ..., "webhook-timestamp": ..., "webhook-signature": ...}, "body": "..."}
// stdout: the verified payload as JSON; exit 1 with the library's message when verification fails.
const { Webhook } = require("standardwebhooks");
let input = "";
process.stdin.on("data", chunk => (input += chunk));
process.stdin.on("end", () => {
  const { secret, headers, body } = JSON.parse(input);
  try {
    const payload = new Webhook(secret.replace(/^whsec_/, "")).verify(body, headers);
    process.stdout.write(JSON.stringify(payload));
  } catch (e) {
    process.stderr.write(String(e && e.message ? e.message : e));
    process.exit(1);
  }
});
