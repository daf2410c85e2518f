"""The embedded sandbox: moto (AWS) and fakesnow (Snowflake) servers on loopback, state under .fedkit/."""
