using Keyshift.Secrets;
using Keyshift.Stores;
using Keyshift.Stores.Kubernetes;
using Keyshift.Tests.Support;

namespace Keyshift.Tests.Stores.Kubernetes;

public sealed class KubernetesSecretStoreTests : IDisposable
{
    private const string ConfigMap = """
        # rendered by hand
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: payments-config   # not a secret
        data:
          LOG_LEVEL: "info"
          FEATURES: |
            a
            b

        """;

    private const string Manifest = ConfigMap + """
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: payments
        type: Opaque
        data:
          username: cGF5bWVudHM=   # payments
        stringData:
          password: "old pw"
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: stripe
        data:
          key: c2tfdGVzdA==

        """;

    private readonly TempDir _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KubernetesSecretStore Store() => new(SettingsFactory.Store(_dir.Path, "type: k8s-secret\npath: manifests.yaml", name: "k8s"));

    private static SecretAddress At(string text) => SecretAddress.Parse(text);

    private string File => System.IO.File.ReadAllText(_dir.File("manifests.yaml"));

    private async Task<byte[]?> Read(string address)
    {
        var values = await Store().ReadAsync([At(address)], Ct);
        return values.TryGetValue(At(address), out var v) ? v.Bytes.ToArray() : null;
    }

    [Fact]
    public async Task List_NamesSecretKeysOnly_WithTheNamespaceTheManifestStates()
    {
        _dir.Write("manifests.yaml", Manifest);
        var listed = (await Store().ListAsync(Ct)).Select(a => a.ToString()).Order();
        listed.ShouldBe(["k8s:payments/db#password", "k8s:payments/db#username", "k8s:stripe#key"]);
    }

    [Fact]
    public async Task Read_DecodesData_TakesStringDataAsText_AndDefaultsTheNamespace()
    {
        _dir.Write("manifests.yaml", Manifest);
        (await Read("k8s:payments/db#username")).ShouldBe("payments"u8.ToArray());
        (await Read("k8s:db#password")).ShouldBe("old pw"u8.ToArray());
        (await Read("k8s:default/stripe#key")).ShouldBe("sk_test"u8.ToArray());
        (await Read("k8s:stripe#key")).ShouldBe("sk_test"u8.ToArray());
        (await Read("k8s:other/stripe#key")).ShouldBeNull();
        (await Read("k8s:payments-config#LOG_LEVEL")).ShouldBeNull();
    }

    [Fact]
    public async Task Write_GoesToDataAsBase64_OrToStringDataWhereTheKeyIsAlready_KeepingOtherDocumentsByteForByte()
    {
        _dir.Write("manifests.yaml", Manifest);

        await Store().ApplyAsync(
        [
            StoreChange.Set(At("k8s:payments/db#password"), SecretValue.FromUtf8("new pw")),
            StoreChange.Set(At("k8s:payments/db#host"), SecretValue.FromUtf8("db.internal")),
            StoreChange.Set(At("k8s:stripe#key"), SecretValue.FromUtf8("sk_live")),
        ], Ct);

        File.ShouldBe(Manifest
            .Replace("password: \"old pw\"", "password: new pw", StringComparison.Ordinal)
            .Replace("  username: cGF5bWVudHM=   # payments\n", "  username: cGF5bWVudHM=   # payments\n  host: ZGIuaW50ZXJuYWw=\n", StringComparison.Ordinal)
            .Replace("key: c2tfdGVzdA==", "key: c2tfbGl2ZQ==", StringComparison.Ordinal));
        File.ShouldStartWith(ConfigMap);
    }

    [Fact]
    public async Task BinaryValueToStringData_IsRefused_AndNothingChanges()
    {
        _dir.Write("manifests.yaml", Manifest);
        var before = _dir.Snapshot();
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ApplyAsync(
            [StoreChange.Set(At("k8s:payments/db#password"), SecretValue.FromBytes([0xFF, 0x00]))], Ct));
        e.Message.ShouldContain("k8s:payments/db#password");
        e.Message.ShouldContain("stringData");
        _dir.Snapshot().ShouldBe(before);
    }

    [Fact]
    public async Task Write_ToAMissingSecret_AppendsANewDocument()
    {
        _dir.Write("manifests.yaml", Manifest);

        await Store().ApplyAsync(
        [
            StoreChange.Set(At("k8s:billing/api#token"), SecretValue.FromBytes([0x00, 0xFF])),
            StoreChange.Set(At("k8s:billing/api#url"), SecretValue.FromUtf8("https://x")),
        ], Ct);

        File.ShouldBe(Manifest + """
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: api
              namespace: billing
            type: Opaque
            data:
              token: AP8=
              url: aHR0cHM6Ly94

            """);
        (await Read("k8s:billing/api#token")).ShouldBe([0x00, 0xFF]);
    }

    [Fact]
    public async Task Delete_RemovesTheKeyFromDataAndStringData_AndKeepsTheDocument()
    {
        _dir.Write("manifests.yaml", Manifest);

        await Store().ApplyAsync([StoreChange.Delete(At("k8s:payments/db#password")), StoreChange.Delete(At("k8s:stripe#key"))], Ct);

        File.ShouldBe(Manifest
            .Replace("stringData:\n  password: \"old pw\"\n", "", StringComparison.Ordinal)
            .Replace("data:\n  key: c2tfdGVzdA==\n", "", StringComparison.Ordinal));
        (await Store().ListAsync(Ct)).Select(a => a.ToString()).ShouldBe(["k8s:payments/db#username"]);
        File.ShouldContain("name: stripe");
    }

    [Fact]
    public async Task UnqualifiedName_HeldInTwoNamespaces_IsRefusedNamingThem()
    {
        _dir.Write("manifests.yaml", "kind: Secret\nmetadata: {name: db, namespace: a}\n---\nkind: Secret\nmetadata: {name: db}\n");
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ReadAsync([At("k8s:db#password")], Ct));
        e.Message.ShouldContain("a (line 1)");
        e.Message.ShouldContain("default (line 4)");
        (await Read("k8s:default/db#password")).ShouldBeNull();
    }

    [Fact]
    public async Task EmptyDataSection_IsFilledInPlace()
    {
        _dir.Write("manifests.yaml", "kind: Secret\nmetadata:\n  name: db\ndata: {}\nstringData:\n");
        await Store().ApplyAsync([StoreChange.Set(At("k8s:db#a"), SecretValue.FromUtf8("1"))], Ct);
        File.ShouldBe("kind: Secret\nmetadata:\n  name: db\ndata: {a: MQ==}\nstringData:\n");
    }

    [Fact]
    public async Task InvalidBase64_IsReportedWithLineAndColumn()
    {
        _dir.Write("manifests.yaml", "kind: Secret\nmetadata:\n  name: db\ndata:\n  a: not*base64\n");
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ReadAsync([At("k8s:db#a")], Ct));
        e.Message.ShouldContain("manifests.yaml:5:6");
        e.Message.ShouldContain("base64");
        e.Message.ShouldNotContain("not*base64");
    }

    [Fact]
    public async Task DuplicateSecret_IsRefusedNamingBothLines()
    {
        _dir.Write("manifests.yaml", "kind: Secret\nmetadata: {name: db}\n---\nkind: Secret\nmetadata: {name: db, namespace: default}\n");
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldContain("manifests.yaml:4");
        e.Message.ShouldContain("line 1");
    }

    [Theory]
    [InlineData("k8s:Upper#key")]
    [InlineData("k8s:a/b/c#key")]
    [InlineData("k8s:db#bad key")]
    [InlineData("k8s:bad_ns/db#key")]
    [InlineData("k8s:db")]
    public void CheckAddress_RefusesWhatKubernetesWouldRefuse(string address) =>
        Store().CheckAddress(At(address)).ShouldNotBeNull().ShouldContain("k8s");

    [Fact]
    public async Task MalformedManifest_IsRefusedWithFileLineAndColumn()
    {
        _dir.Write("manifests.yaml", "kind: Secret\nmetadata:\n  name: db\ndata:\n  a: b\n - c\n");
        var e = await Should.ThrowAsync<StoreException>(async () => await Store().ListAsync(Ct));
        e.Message.ShouldMatch(@"manifests\.yaml:\d+:\d+: malformed YAML");
    }

    public void Dispose() => _dir.Dispose();
}
