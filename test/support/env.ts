// Tests never read a developer's .env and never talk to real platforms.
process.env.LOG_LEVEL ??= 'silent';
