// Ink decides at import time that a CI environment gets no live frames. The UI tests drive a
// fake terminal and assert frames, so the CI variable of the machine running them must not leak in.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
