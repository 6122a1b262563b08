"""A short tour against an embedded FakeTalkturo: company, contacts, number, assistant, campaign."""

from __future__ import annotations

import asyncio
import time

from talkturo_async import Talkturo
from talkturo_async.testing import FakeTalkturo


async def main() -> None:
    started = time.perf_counter()
    async with FakeTalkturo(latency=0.005, seed=1) as fake:
        team = fake.team_id
        async with Talkturo(api_key=fake.api_key, base_url=fake.base_url) as tk:
            print("auth:", (await tk.auth.test()).message)
            company = await tk.companies.create(
                team_id=team, name="Northstar Health", industry="Healthcare"
            )
            contacts = await asyncio.gather(
                *(
                    tk.contacts.create(
                        team_id=team,
                        company_id=company.id,
                        first_name=f"Lead{i}",
                        last_name="Demo",
                        phone=f"+1415555{i:04d}",
                    )
                    for i in range(25)
                )
            )
            found = await tk.phone_numbers.search(country_code="US", area_code="415", limit=3)
            number = await tk.phone_numbers.purchase(
                phone_number=found.numbers[0].phone_number, team_id=team
            )
            bot = await tk.assistants.create(
                account_slug=fake.account_slug, name="Setter", template_id="outbound-setter"
            )
            await tk.assistants.assign_phone_numbers(
                bot.id, [number.id], account_slug=fake.account_slug
            )
            camp = await tk.campaigns.create(
                team_id=team,
                assistant_id=bot.id,
                company_id=company.id,
                name="Q1 Outreach",
                from_number_ids=[number.id],
            )
            added = await tk.campaigns.add_contacts(camp.id, contact_ids=[c.id for c in contacts])
            run = await tk.campaigns.start(camp.id)
            camp = await tk.campaigns.get(camp.id)
            print(f"company {company.name}: {len(contacts)} contacts; number {number.phone_number}")
            print(
                f"campaign {camp.name}: added {added.added}, started {run.started} calls, "
                f"answered {camp.contacts_answered}, status {camp.status}"
            )
    print(f"done in {time.perf_counter() - started:.2f}s")


if __name__ == "__main__":
    asyncio.run(main())
