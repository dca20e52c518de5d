# Basalt's container image (docs/deploy.md): the SDK image builds, the ASP.NET runtime image runs.
#   docker build -t basalt .
#   docker run -p 8090:8090 -v basalt_data:/basalt_data basalt
# ./test runs this build stage's restore and publish commands (the RUN dotnet lines) on the test machine and starts
# the result, so a change here that breaks the build breaks the tests; keep each of those commands on one line.

# Native AOT compiles for the platform it runs on, so the build stage runs on the target's platform (emulated when the
# builder's differs), with the C toolchain that links the executable.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The project files first: the restore layer is then reused until a project or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Basalt/Basalt.csproj src/Basalt/
COPY src/Basalt.Cli/Basalt.Cli.csproj src/Basalt.Cli/
RUN dotnet restore src/Basalt.Cli/Basalt.Cli.csproj -a $TARGETARCH -p:PublishAot=true
COPY src/ src/
# Native AOT, as ./basalt builds it: one executable of machine code, no JIT at start (bench/README.md, start-up).
RUN dotnet publish src/Basalt.Cli/Basalt.Cli.csproj -c Release -a $TARGETARCH --no-restore -p:PublishAot=true -o /app
# The native debugging symbols (about 80 MB) stay in the build stage.
RUN rm -f /app/*.dbg /app/*.pdb

# No .NET runtime needed: the executable carries its own; runtime-deps has what it links against (and bash).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# `basalt` on the PATH for `docker exec … basalt superuser upsert …`; the data folder belongs to the image's non-root
# user (APP_UID, 1654), which a named volume mounted there inherits on first use.
RUN ln -s /app/Basalt.Cli /usr/local/bin/basalt \
    && mkdir -p /basalt_data /basalt_migrations \
    && chown "$APP_UID:$APP_UID" /basalt_data
USER $APP_UID

# Every option of `basalt serve` has a BASALT_* variable (docs/running.md); these are the ones a container changes.
# Set BASALT_DB=postgres://… for PostgreSQL, BASALT_ORIGINS for CORS, BASALT_AUTOMIGRATE/BASALT_MIGRATE for migrations.
ENV BASALT_HTTP=0.0.0.0:8090 \
    BASALT_DIR=/basalt_data \
    BASALT_MIGRATIONS=/basalt_migrations
VOLUME /basalt_data
EXPOSE 8090

# The image has no curl: bash asks /api/health over its own /dev/tcp, on the port BASALT_HTTP names.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${BASALT_HTTP##*:} && printf "GET /api/health HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'

ENTRYPOINT ["basalt"]
CMD ["serve"]
