function Write-ExcertNote([string] $Message) {
    # The import's notes. Write-Verbose only when someone listens: its first use loads
    # Microsoft.PowerShell.Utility, which costs a fresh session ~200 ms.
    if ($VerbosePreference -ne 'SilentlyContinue') { Write-Verbose $Message }
}
