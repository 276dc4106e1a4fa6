function New-ExcertErrorRecord {
    <#
    .SYNOPSIS
    The one place the module's ErrorRecords are made: helpers throw what it returns, cmdlets
    pass it on with $PSCmdlet.WriteError or ThrowTerminatingError.

    .DESCRIPTION
    Native parameter set: a native failure, ErrorId = the error's Name (NotFound ...), category
    = its Category, exception an [Excert.ExcertException] carrying Code and Name, message its
    Message. A library that broke its own error contract is reported as such, with the code.

    Message parameter set: a failure found in the module itself (a bad -Identity, a file that
    cannot be written ...), with an exception of the given type.

    .EXAMPLE
    throw (New-ExcertErrorRecord -Message "The Identity 'x\' names no thumbprint." -ErrorId InvalidArgument -Category InvalidArgument -TargetObject 'x\')
    #>
    [CmdletBinding(DefaultParameterSetName = 'Message')]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(ParameterSetName = 'Native', Mandatory)] [string] $Function,
        [Parameter(ParameterSetName = 'Native', Mandatory)] [int] $Code,
        [Parameter(ParameterSetName = 'Native')] [AllowNull()] [AllowEmptyString()] [string] $ErrorJson,

        [Parameter(ParameterSetName = 'Message', Mandatory)] [string] $Message,
        [Parameter(ParameterSetName = 'Message', Mandatory)] [string] $ErrorId,
        [Parameter(ParameterSetName = 'Message', Mandatory)] [System.Management.Automation.ErrorCategory] $Category,
        [Parameter(ParameterSetName = 'Message')] [ValidateSet('Argument', 'IO', 'InvalidOperation')] [string] $ExceptionType = 'Argument',

        [AllowNull()] [object] $TargetObject
    )

    if ($PSCmdlet.ParameterSetName -eq 'Message') {
        $exception = switch ($ExceptionType) {
            'IO' { [System.IO.IOException]::new($Message) }
            'InvalidOperation' { [System.InvalidOperationException]::new($Message) }
            default { [System.ArgumentException]::new($Message) }
        }
        return [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $TargetObject)
    }

    # The same record a cmdlet written in C# makes (Invocation.cs).
    [Excert.Invocation]::NativeFailure($script:ExcertLibrary, $Function, $Code, $ErrorJson, $TargetObject)
}
