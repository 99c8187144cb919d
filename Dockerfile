# Multi-stage image for the `leap` CLI (train, and the hosts as they land).
# CPU TorchSharp by default. GPU image: docker build --build-arg LIBTORCH_PACKAGE=libtorch-cuda-12.8-linux-x64 \
#   --build-arg LIBTORCH_VERSION=2.10.0.0 -t leap:gpu .   (that package is not served by the registry this project
#   is developed against, so the GPU variant is untested; see README "GPU").
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS restore
WORKDIR /src
ARG LIBTORCH_PACKAGE=libtorch-cpu-linux-x64
ARG LIBTORCH_VERSION=2.10.0
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props Leap.Distributed.sln ./
COPY build/ build/
COPY protos/ protos/
COPY src/ src/
RUN dotnet restore src/Leap.Cli/Leap.Cli.csproj -p:LibTorchPackage=${LIBTORCH_PACKAGE} -p:LibTorchVersion=${LIBTORCH_VERSION}

FROM restore AS publish
ARG LIBTORCH_PACKAGE=libtorch-cpu-linux-x64
ARG LIBTORCH_VERSION=2.10.0
RUN dotnet publish src/Leap.Cli/Leap.Cli.csproj -c Release --no-restore -o /app \
      -p:LibTorchPackage=${LIBTORCH_PACKAGE} -p:LibTorchVersion=${LIBTORCH_VERSION}

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
RUN groupadd --system --gid 999 leap && useradd --system --uid 999 --gid leap --home-dir /home/leap --create-home leap \
 && mkdir -p /data /runs && chown leap:leap /data /runs
WORKDIR /app
COPY --from=publish /app ./
COPY configs/ /app/configs/
USER leap
# glibc malloc keeps the memory libtorch frees (NativeHeapRetention): set from the process's start, which the in-process
# fallback cannot do for the runtime's own threads. Override with your own GLIBC_TUNABLES or LEAP_NATIVE_HEAP=default.
ENV GLIBC_TUNABLES=glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=1073741824:glibc.malloc.arena_max=1
VOLUME ["/data", "/runs"]
ENTRYPOINT ["dotnet", "/app/leap.dll"]
CMD ["--help"]
