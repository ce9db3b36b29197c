export const region = "europe-west3";

export const retryEventMaxAgeMs = 30000;
