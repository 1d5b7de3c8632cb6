"""``kyogitai db grant|revoke|list``: who may see what on a shared PostgreSQL
database (run by the administrator who owns the tables).

    kyogitai db grant sc_kita --tier 2 --area AR1 --council C2 --database URL
    kyogitai db grant sc_city --tier 1 --council C1 --database URL
    kyogitai db revoke sc_kita --database URL
    kyogitai db list --database URL

A 第2層 coordinator reads and writes the meetings of the councils listed and
the subjects (and their networks, consent, 要配慮 rows) of the areas listed;
a 第1層 coordinator also reads every council's meetings, but no subject of
an area not listed.  The database enforces it (row-level security,
store/pg_schema.py); the app only shows what the role can read.
"""
from __future__ import annotations

from kyogitai_tui.commands._common import EXIT_OK, UserError


def add_parser(sub) -> None:
    p = sub.add_parser("db", help="共有データベースの権限（コーディネーターごとの役割）を設定します",
                       description="共有の PostgreSQL データベースで、コーディネーターの役割（ロール）に"
                                   "見てよい協議体・圏域を設定します。表の所有者（管理者）が実行します。")
    actions = p.add_subparsers(dest="db_action", title="操作", metavar="ACTION", parser_class=type(p))
    g = actions.add_parser("grant", help="役割を作り、協議体と圏域の権限を設定します")
    g.add_argument("role", metavar="ROLE", help="データベースの役割（ログイン名）")
    g.add_argument("--tier", type=int, choices=(1, 2), required=True,
                   help="1: 第1層（全協議体の会議を読める）、2: 第2層")
    g.add_argument("--area", action="append", default=[], metavar="ID", help="担当の圏域（例: AR1）。複数指定できます")
    g.add_argument("--council", action="append", default=[], metavar="ID",
                   help="担当の協議体（例: C2）。その会議を読み書きできます。複数指定できます")
    r = actions.add_parser("revoke", help="役割の権限を外します（役割そのものは残ります）")
    r.add_argument("role", metavar="ROLE")
    lst = actions.add_parser("list", help="設定済みの役割を一覧します")
    for q in (g, r, lst):
        q.add_argument("--database", metavar="URL", dest="sub_database",
                       help="共有の PostgreSQL データベース（省略時は環境変数 KYOGITAI_DATABASE）")
        q.set_defaults(func=run)
    p.set_defaults(func=lambda args: (_ for _ in ()).throw(
        UserError("操作を指定してください: kyogitai db grant / revoke / list（kyogitai db --help）")))


def run(args) -> int:
    from kyogitai_tui.commands._common import database_url, open_command_store
    from kyogitai_tui.store import StoreError
    from kyogitai_tui.store import pg_schema

    url = database_url(args)
    if not url:
        raise UserError("--database URL（または環境変数 KYOGITAI_DATABASE）で共有データベースを指定してください。")
    with open_command_store(url, create=True) as store:
        if args.db_action == "list":
            rows = store.run_admin(pg_schema.list_grants)
            if not rows:
                print("設定済みの役割はありません。kyogitai db grant で設定します。")
            for role, tier, areas, councils in rows:
                print(f"{role}: 第{tier}層  圏域 {'・'.join(areas) or 'なし'}  協議体 {'・'.join(councils) or 'なし'}")
            return EXIT_OK
        if args.db_action == "revoke":
            had = store.run_admin(lambda conn: pg_schema.revoke_role(conn, args.role))
            print(f"役割 {args.role} の権限を外しました。" if had else f"役割 {args.role} には権限が設定されていませんでした。")
            return EXIT_OK
        known_areas = {a["id"] for a in store.all("areas")}
        known_councils = {c["id"]: c for c in store.all("councils")}
        unknown = [a for a in args.area if a not in known_areas] + [c for c in args.council if c not in known_councils]
        if unknown:
            raise UserError(f"登録されていない圏域・協議体があります: {'、'.join(unknown)}。"
                            "kyogitai の登録画面（F7）の番号を指定してください。")
        if args.tier == 2 and not args.council:
            raise UserError("第2層の役割には --council で担当の協議体を指定してください。")
        try:
            created = store.run_admin(lambda conn: pg_schema.grant_role(
                conn, args.role, tier=args.tier, area_ids=args.area, council_ids=args.council))
        except StoreError as exc:
            raise UserError(exc.message) from None
    names = "・".join(known_councils[c].get("name", c) for c in args.council) or "なし"
    print(f"役割 {args.role} を{'作り、' if created else ''}第{args.tier}層として設定しました"
          f"（協議体: {names}、圏域: {'・'.join(args.area) or 'なし'}）。")
    if created:
        print(f"パスワードは管理者が設定してください（例: psql で ALTER ROLE \"{args.role}\" PASSWORD '...'）。")
    return EXIT_OK
