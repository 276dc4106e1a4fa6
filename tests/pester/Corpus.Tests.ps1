# The interop corpus: every public certificate, PKCS#12 and PKCS#7 file Debian packages
# (scripts/corpus: the system CA roots and python3-cryptography-vectors, NIST PKITS included),
# imported through the cmdlets (so the C ABI) and compared with .NET's X509Certificate2 and the
# openssl CLI (tests/corpus/Compare-Corpus.ps1). Each difference left must be one explained in
# tests/corpus/known-differences.tsv, and each explained one must still occur.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-TestModule
    $Store = New-TestStore
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $corpus = & bash (Join-Path $root 'scripts/corpus') 2>&1
    if ($LASTEXITCODE -ne 0) { throw "scripts/corpus failed: $($corpus -join ' | ')" }
    $Result = & (Join-Path $root 'tests/corpus/Compare-Corpus.ps1') -CorpusPath ($corpus | Select-Object -Last 1)
    $Known = Get-Content (Join-Path $root 'tests/corpus/known-differences.tsv') |
        Where-Object { $_ -and -not $_.StartsWith('#') } |
        ForEach-Object { $f = $_ -split "`t"; [pscustomobject]@{ File = $f[0]; Property = $f[1]; Why = $f[2] } }
    $c = $Result.Counts
    Write-Host ("Corpus: {0} certificate files, {1} compared, {2} agreed; {3} PKCS#12/PKCS#7 files, {4} compared, {5} agreed; {6} unreadable by .NET, {7} duplicates, {8} differences" -f
        $c.Files, $c.Compared, $c.Agreed, $c.Bundles, $c.BundlesCompared, $c.BundlesAgreed, $c.DotNetUnreadable, $c.Duplicates, $Result.Differences.Count)
}

AfterAll { Remove-TestStore $Store }

Describe 'The interop corpus against .NET and openssl' {
    It 'has the files it is made of (roots, x509 vectors, PKCS#12, PKCS#7)' {
        $Result.Counts.Compared | Should -BeGreaterThan 600
        $Result.Counts.BundlesCompared | Should -BeGreaterThan 400
    }

    It 'differs from .NET only where tests/corpus/known-differences.tsv explains why' {
        $unexplained = $Result.Differences | Where-Object {
            $d = $_; -not ($Known | Where-Object { $_.File -eq $d.File -and $_.Property -eq $d.Property })
        } | ForEach-Object { "$($_.File) $($_.Property): excert '$($_.Excert)', peer '$($_.Peer)'" }
        $unexplained | Should -BeNullOrEmpty
    }

    It 'names attributes and signature algorithms from tables that match this .NET (scripts/dotnet-names.ps1 -Check)' {
        $out = & pwsh -NoProfile -File (Join-Path $root 'scripts/dotnet-names.ps1') -Check 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join ' ')
    }

    It 'still differs where the list says it does (the list is not stale)' {
        $stale = $Known | Where-Object {
            $k = $_; -not ($Result.Differences | Where-Object { $_.File -eq $k.File -and $_.Property -eq $k.Property })
        } | ForEach-Object { "$($_.File) $($_.Property)" }
        $stale | Should -BeNullOrEmpty
    }
}
