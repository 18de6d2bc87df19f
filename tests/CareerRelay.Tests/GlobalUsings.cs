// The harness (Harness/): the app on a real database, API and browser clients, mail and webhook receivers.
global using CareerRelay.Tests.Harness;
