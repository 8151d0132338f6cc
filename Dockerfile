# Jianyi (建议): build the `jianyi` binary, then run it on a small Debian with only libpq.

FROM rust:1-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The whole context; .dockerignore keeps target/, databases and secrets out.
COPY . .
RUN cargo build --release --locked --bin jianyi

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/jianyi --shell /usr/sbin/nologin jianyi \
    && mkdir -p /var/lib/jianyi \
    && chown jianyi:jianyi /var/lib/jianyi
COPY --from=builder /src/target/release/jianyi /usr/local/bin/jianyi
USER jianyi
# The default SQLite file (sqlite://jianyi.db) and its token secret land here.
WORKDIR /var/lib/jianyi
ENV JIANYI_BIND=0.0.0.0:8080
EXPOSE 8080
# No HEALTHCHECK: the image has no HTTP client. Orchestrators can probe GET /healthz and GET /readyz.
ENTRYPOINT ["/usr/local/bin/jianyi"]
CMD ["serve"]
