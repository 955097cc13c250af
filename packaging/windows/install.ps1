# PIA Desk installer for one Windows user: no administrator rights, no network.
#
#   install.bat                       (double-click; runs this script)
#   powershell -NoProfile -ExecutionPolicy Bypass -File install.ps1 [-Python C:\path\python.exe]
#
# Next to this script on the medium:
#   wheelhouse\      wheels + requirements.txt (make_wheelhouse.py): installs into a
#                    per-user venv %LOCALAPPDATA%\PIA Desk\venv with pip --no-index.
#   PIA Desk\        or the frozen folder (build.py): copied to %LOCALAPPDATA%\PIA Desk\app.
#   python\          optional: the python.org installer (python-3.1x.y-amd64.exe), installed
#                    for this user only when no Python 3.11-3.13 is found.
# Output of programs goes to the console (| Out-Host): a PowerShell function returns
# everything its commands print, which would end up in the function's result.
# Creates "PIA Desk" shortcuts in the Start menu and on the desktop. Running it again
# updates the program; project files (.piadesk) and settings are never touched.
param(
    [string]$Python = ""
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version 3.0

$Here = $PSScriptRoot
$AppDir = Join-Path $env:LOCALAPPDATA "PIA Desk"
$Venv = Join-Path $AppDir "venv"
$Frozen = Join-Path $AppDir "app"
$OwnPython = Join-Path $AppDir "python"
$Wheelhouse = Join-Path $Here "wheelhouse"
$FrozenSource = Join-Path $Here "PIA Desk"
$SupportedPythons = @("3.13", "3.12", "3.11")

function Fail([string]$Message) {
    Write-Host "エラー: $Message" -ForegroundColor Red
    exit 1
}

function Test-Python([string]$Exe) {
    # True when $Exe runs and is CPython 3.11-3.13 (64-bit). "Continue": Windows
    # PowerShell 5.1 turns redirected stderr of a native command into a terminating error.
    $ErrorActionPreference = "Continue"
    if (-not $Exe -or -not (Test-Path -LiteralPath $Exe)) { return $false }
    if ($Exe -like "*\WindowsApps\*") { return $false }  # Microsoft Store alias, not a Python
    $code = "import sys, struct; sys.exit(0 if sys.version_info[:2] in ((3,11),(3,12),(3,13)) and struct.calcsize('P') == 8 else 1)"
    & $Exe -c $code 2>$null | Out-Null
    return ($LASTEXITCODE -eq 0)
}

function Find-Python {
    $ErrorActionPreference = "Continue"  # probing: see Test-Python
    if ($Python) {
        if (Test-Python $Python) { return $Python }
        Fail "指定された Python は使えません（3.11～3.13 の 64 ビット版が必要です）: $Python"
    }
    $candidates = @(Join-Path $OwnPython "python.exe")
    $launcher = Get-Command py.exe -ErrorAction SilentlyContinue
    foreach ($version in $SupportedPythons) {
        if ($launcher) {
            $exe = & $launcher.Source "-$version" -c "import sys; print(sys.executable)" 2>$null
            if ($LASTEXITCODE -eq 0 -and $exe) { $candidates += "$exe".Trim() }
        }
    }
    foreach ($command in @(Get-Command python.exe -All -ErrorAction SilentlyContinue)) {
        $candidates += $command.Source
    }
    foreach ($exe in $candidates) {
        if (Test-Python $exe) { return $exe }
    }
    return Install-BundledPython
}

function Install-BundledPython {
    # The python.org installer from the medium, for this user only (no administrator rights).
    $installer = Get-ChildItem -LiteralPath (Join-Path $Here "python") -Filter "python-3.1*-amd64.exe" -ErrorAction SilentlyContinue |
        Sort-Object Name -Descending | Select-Object -First 1
    if (-not $installer) {
        Fail "Python 3.11～3.13 が見つかりません。媒体の python フォルダーに python.org のインストーラー（python-3.12.x-amd64.exe など）を置くか、-Python で python.exe を指定してください。"
    }
    Write-Host "Python をこのユーザーにインストールしています: $($installer.Name)"
    $arguments = @("/quiet", "InstallAllUsers=0", "PrependPath=0", "Include_launcher=0",
        "Include_test=0", "Shortcuts=0", "AssociateFiles=0", "TargetDir=`"$OwnPython`"")
    $process = Start-Process -FilePath $installer.FullName -ArgumentList $arguments -Wait -PassThru
    $exe = Join-Path $OwnPython "python.exe"
    if ($process.ExitCode -ne 0 -or -not (Test-Python $exe)) {
        Fail "Python のインストールに失敗しました（終了コード $($process.ExitCode)）。"
    }
    return $exe
}

function Install-Wheelhouse {
    $requirements = Join-Path $Wheelhouse "requirements.txt"
    if (-not (Test-Path -LiteralPath $requirements)) { Fail "requirements.txt がありません: $requirements" }
    $base = Find-Python
    Write-Host "Python: $base"
    Write-Host "仮想環境を作成しています: $Venv"
    & $base -m venv --clear $Venv | Out-Host
    if ($LASTEXITCODE -ne 0) { Fail "仮想環境を作成できませんでした（PIA Desk を起動中なら終了してから再実行してください）: $Venv" }
    $venvPython = Join-Path $Venv "Scripts\python.exe"
    Write-Host "PIA Desk をインストールしています（ネットワークは使いません）…"
    & $venvPython -m pip install --no-index --find-links $Wheelhouse --require-hashes -r $requirements --disable-pip-version-check --no-warn-script-location | Out-Host
    if ($LASTEXITCODE -ne 0) { Fail "インストールに失敗しました。媒体の wheelhouse フォルダーが壊れていないか確認してください。" }
    $icon = Join-Path $Venv "Lib\site-packages\pia_desk\resources\icons\app.ico"
    # pythonw: no console window; -P: the working folder is not searched for modules.
    return @{ Target = (Join-Path $Venv "Scripts\pythonw.exe"); Arguments = "-P -m pia_desk"; Icon = $icon }
}

function Install-Frozen {
    Write-Host "PIA Desk をコピーしています: $Frozen"
    if (Test-Path -LiteralPath $Frozen) { Remove-Item -LiteralPath $Frozen -Recurse -Force }
    Copy-Item -LiteralPath $FrozenSource -Destination $Frozen -Recurse
    $exe = Join-Path $Frozen "PIA Desk.exe"
    return @{ Target = $exe; Arguments = ""; Icon = $exe }
}

function New-Shortcut([string]$Folder, [hashtable]$App) {
    # WScript.Shell writes .lnk files into the user's own folders: no administrator rights.
    $shell = New-Object -ComObject WScript.Shell
    $link = $shell.CreateShortcut((Join-Path $Folder "PIA Desk.lnk"))
    $link.TargetPath = $App.Target
    $link.Arguments = $App.Arguments
    $link.WorkingDirectory = [Environment]::GetFolderPath("MyDocuments")
    $link.IconLocation = "$($App.Icon),0"
    $link.Description = "PIA Desk（特定個人情報保護評価書エディタ）"
    $link.Save()
}

New-Item -ItemType Directory -Force -Path $AppDir | Out-Null
if (Test-Path -LiteralPath (Join-Path $Wheelhouse "requirements.txt")) {
    $app = Install-Wheelhouse
} elseif (Test-Path -LiteralPath (Join-Path $FrozenSource "PIA Desk.exe")) {
    $app = Install-Frozen
} else {
    Fail "この媒体に wheelhouse フォルダーも「PIA Desk」フォルダーもありません: $Here"
}
New-Shortcut ([Environment]::GetFolderPath("Programs")) $app
New-Shortcut ([Environment]::GetFolderPath("Desktop")) $app
Write-Host "インストールが完了しました。スタートメニューまたはデスクトップの「PIA Desk」から起動できます。" -ForegroundColor Green
exit 0
